/**
 * The filter language (KFL2/CEL-style expressions over entries), the only public surface of
 * `src/query`. Compile once with `compileFilter`, then call `matches(entry)`; hand the result to the
 * store as an `EntryMatcher` (its constraints let the store use its indexes). `QUERY_FIELDS` lists the
 * fields for the dashboard; `checkFilter` validates as you type.
 */
export { compileFilter, checkFilter, MATCH_ALL, type CompileOptions, type CompiledFilter } from './filter.js';
export { FilterError, type FilterErrorCode } from './errors.js';
export { QUERY_FIELDS } from './fields.js';
export { QUERY_FUNCTIONS } from './functions.js';
export * from './limits.js';
export type { QType, ScalarType, ListType } from './types.js';
