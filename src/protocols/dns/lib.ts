/**
 * Typed access to the parts of `dns-packet` the dissector uses: the name and resource-record decoders
 * (the package's typings only describe whole-message encode/decode). Every call may throw on bad input.
 */
import dnsPacket from 'dns-packet';

/** A decoder in dns-packet's style: `decode(buf, offset)` then `decode.bytes` consumed. */
interface Decoder<T> {
  decode: ((buf: Buffer, offset: number) => T) & { bytes: number };
}

/** A resource record as dns-packet decodes it (fields depend on the type). */
export type LibRecord = { readonly type: string; readonly data?: unknown } & Record<string, unknown>;

interface Lib {
  readonly name: Decoder<string>;
  readonly answer: Decoder<LibRecord>;
}

const lib = dnsPacket as unknown as Lib;

/** Decodes the (possibly compressed) name at `offset`; returns it and the bytes it occupies there. */
export function decodeName(buf: Buffer, offset: number): { name: string; bytes: number } {
  const name = lib.name.decode(buf, offset);
  return { name, bytes: lib.name.decode.bytes };
}

/** Decodes the resource record at `offset` with dns-packet (type-specific `data`). */
export function decodeRecord(buf: Buffer, offset: number): LibRecord {
  return lib.answer.decode(buf, offset);
}
