/**
 * Shared byte readers for dissectors: an accumulator for partial tokens, delimiter search across chunk
 * boundaries, length-prefixed framing, and body collection with content decoding. Depends on the model
 * only; every dissector may import it.
 */
export { ByteAccumulator } from './accumulator.js';
export { delimiterEndAcross } from './delimiter.js';
export { LengthPrefixedFramer, type FramerOptions, type GapEffect } from './length-prefixed.js';
export { BodyCollector, buildBody } from './body.js';
export { ContentDecodeError, DECODED_LIMIT, decodeContent, isTextualType, looksLikeText, type ContentDecodeCode } from './content.js';
export { base64, latin1, utf8 } from './slices.js';
