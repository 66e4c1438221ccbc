/**
 * Public surface of the reassembly stage: TCP stream reassembly per direction, with gaps, memory caps
 * and timeouts driven by capture time. Imports only src/model and src/decode types. See assembler.ts.
 */
export { Assembler } from './assembler.js';
export type { AssemblerOptions, AssemblerStats, EndReason, StreamHandler, StreamHandlerFactory } from './types.js';
