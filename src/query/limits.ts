/**
 * Safety bounds of the filter language. Filters arrive from the network (dashboard, API), so every
 * dimension a malicious text could blow up is capped; going over a cap is an `E_QUERY_LIMIT` error with
 * the position where the cap was hit, never a crash, a stack overflow or a slow evaluation.
 */

/** Longest filter text, in UTF-16 code units. */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest nesting of the expression (parentheses, unary operators, calls, lists, operator levels). */
export const MAX_DEPTH = 64;
/** Most elements in one list literal. */
export const MAX_LIST_ELEMENTS = 256;
/** Longest string literal, after escapes are decoded. */
export const MAX_STRING_LENGTH = 1024;
/** Longest regular-expression pattern. */
export const MAX_REGEX_LENGTH = 512;
/** Most instructions a compiled regular expression may have (counted repetitions are expanded). */
export const MAX_REGEX_PROGRAM = 4096;
/** Largest bound of a counted repetition `{n,m}`. */
export const MAX_REGEX_REPEAT = 1000;
/** Only this many leading code units of a value are searched by `matches`. */
export const MAX_MATCH_INPUT = 64 * 1024;
