/** Bounds of the HTTP/1 dissector: they cap memory per session and define what counts as a violation. */

/** A message head (start line, fields, final CRLFCRLF) is at most this long. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Header (or trailer) fields per message at most. */
export const MAX_FIELDS = 200;
/** A start line, chunk-size line or trailer line (with its line end) is at most this long. */
export const MAX_LINE_BYTES = 8 * 1024;
/** Requests awaiting a response, per session, at most (older entries are forgotten). */
export const MAX_PENDING = 1024;
/** Bytes held while a request waits to learn whether its connection upgrades. */
export const MAX_PAUSED_BYTES = 64 * 1024;
/** Interim (1xx) responses kept per final response. */
export const MAX_INTERIM = 16;
/** How far into a mid-stream connection detection looks for a message start. */
export const MIDSTREAM_WINDOW = 8 * 1024;
