/** Composition roots of the node agent. */
export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
export { Pipeline, type PipelineOptions, type PipelineStats } from './pipeline.js';
export { dissectBytes, dissectFile, type ReadOptions, type ReadSummary } from './offline.js';
