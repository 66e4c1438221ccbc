/** DNS fixtures built with dns-packet's encoder. */
import dnsPacket from 'dns-packet';

export type AnyRecord = Record<string, unknown> & { type: string; name: string };

export function query(id: number, name: string, type = 'A', extra: Record<string, unknown> = {}): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }], ...extra } as unknown as dnsPacket.Packet);
}

export function response(id: number, name: string, answers: AnyRecord[], extra: Record<string, unknown> = {}): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: [{ type: answers[0]?.type ?? 'A', name }],
    answers,
    ...extra,
  } as unknown as dnsPacket.Packet);
}

/** With a 2-byte length prefix, as DNS over TCP sends it. */
export function framed(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/** Sets the 4-bit rcode of an encoded message. */
export function withRcode(msg: Buffer, rcode: number): Buffer {
  const b = Buffer.from(msg);
  b[3] = (b[3]! & 0xf0) | rcode;
  return b;
}

/** Sets the opcode of an encoded message. */
export function withOpcode(msg: Buffer, opcode: number): Buffer {
  const b = Buffer.from(msg);
  b[2] = (b[2]! & 0x87) | (opcode << 3);
  return b;
}
