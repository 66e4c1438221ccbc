/**
 * DNS over UDP: each `onData` is one datagram holding one message. A datagram that does not decode is
 * reported (`protocol-violation`) and skipped; nothing is buffered between datagrams.
 */
import type { Direction, Timestamp } from '../../model/index.js';
import type { DissectorSession, MessageSink } from '../types.js';
import { DnsError } from './errors.js';
import { dnsMessage } from './message.js';

/** One DNS-over-UDP flow; see the module comment. */
export class DnsUdpSession implements DissectorSession {
  constructor(private readonly sink: MessageSink) {}

  onData(dir: Direction, bytes: Uint8Array, ts: Timestamp): void {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const msg = dnsMessage(dir, buf, buf.length, ts, ts);
    if (msg instanceof DnsError) this.sink.anomaly(dir, { code: 'protocol-violation', detail: msg.detail }, ts);
    else this.sink.message(msg);
  }

  onGap(): void {
    // Datagrams are whole: a lost datagram leaves nothing to resynchronise.
  }

  onEnd(): void {}
}
