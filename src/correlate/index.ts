/** Request/response pairing and entry building. Sans-IO and deterministic. */
export { Correlator, type CorrelatorOptions, type CorrelatorStats } from './correlator.js';
export { buildEntry, type Pair } from './entry-builder.js';
export { redactEntry, redactionPolicy, maskHeaderValue, REDACTED, DEFAULT_REDACTED_HEADERS, type RedactionPolicy } from './redact.js';
