/** The wire bytes a `Body` kept: `raw`, or `decoded` when raw is null because they are the same. */
import type { Body } from '../../src/model/index.js';

export function keptBytes(body: Body): Buffer {
  if (body.raw !== null) return Buffer.from(body.raw, 'base64');
  return Buffer.from(body.decoded ?? '', body.decodedEncoding === 'utf8' ? 'utf8' : 'base64');
}

/** `keptBytes` as base64 ('' without a body). */
export function keptBase64(body: Body | null): string {
  return body === null ? '' : keptBytes(body).toString('base64');
}
