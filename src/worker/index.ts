/** Composition roots of the node agent. */
export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
