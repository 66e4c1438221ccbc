/**
 * The HTTP/1.0 and HTTP/1.1 dissector: detection by request/status line, an incremental chunk-invariant
 * parser per direction, FIFO request/response pairing. Public surface of the folder.
 */
import type { ConnectionInfo } from '../../model/index.js';
import type { Dissector, MessageSink } from '../types.js';
import { detectHttp1 } from './detect.js';
import { Http1Session } from './session.js';
import { http1Spec } from './spec.js';

export const http1Dissector: Dissector = Object.freeze({
  spec: http1Spec,
  detect: detectHttp1,
  createSession: (conn: ConnectionInfo, sink: MessageSink) => new Http1Session(conn, sink),
});

export { Http1Session } from './session.js';
export { detectHttp1 } from './detect.js';
export { http1Spec, HTTP1_PORTS } from './spec.js';
export { Http1Error, type Http1ErrorCode } from './errors.js';
export { MAX_FIELDS, MAX_HEAD_BYTES, MAX_LINE_BYTES } from './limits.js';
