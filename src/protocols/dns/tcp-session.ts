/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): per direction a stream of messages, each after a 2-byte
 * length. Contract: chunk-invariant; a gap inside a message loses that message only (reported
 * `truncated`); a gap of unknown size or a bad length loses the framing, and the stream is scanned for
 * the next plausible header (skipped bytes reported `protocol-violation`). Memory per direction is one
 * message (≤ 64 KiB) at most.
 */
import type { Direction, Timestamp } from '../../model/index.js';
import { LengthPrefixedFramer } from '../_framing/index.js';
import type { DissectorSession, MessageSink } from '../types.js';
import { DnsError } from './errors.js';
import { plausibleHeader } from './header.js';
import { dnsMessage } from './message.js';

/** One DNS-over-TCP connection; see the module comment. */
export class DnsTcpSession implements DissectorSession {
  private readonly framers: readonly [LengthPrefixedFramer, LengthPrefixedFramer];

  constructor(private readonly sink: MessageSink) {
    this.framers = [this.framer(0), this.framer(1)];
  }

  /** Bytes held for incomplete messages and hunts (bounded; for tests and metrics). */
  get bufferedBytes(): number {
    return this.framers[0].pending + this.framers[1].pending;
  }

  onData(dir: Direction, bytes: Uint8Array, ts: Timestamp): void {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.framers[dir].feed(buf, ts);
  }

  onGap(dir: Direction, lost: number | null, ts: Timestamp): void {
    const effect = this.framers[dir].gap(lost);
    if (effect === 'frame-damaged') this.sink.anomaly(dir, { code: 'truncated', detail: 'a DNS message was cut by a gap' }, ts);
    else if (effect === 'framing-lost') this.sink.anomaly(dir, { code: 'truncated', detail: 'DNS framing lost in a gap; resynchronising' }, ts);
  }

  onEnd(ts: Timestamp): void {
    for (const dir of [0, 1] as const) {
      const f = this.framers[dir];
      if (f.isHunting) {
        if (f.huntedBytes > 0) this.sink.anomaly(dir, { code: 'protocol-violation', detail: `skipped ${f.huntedBytes} bytes; no plausible DNS message followed` }, ts);
      } else if (f.pending > 0) this.sink.anomaly(dir, { code: 'truncated', detail: `incomplete DNS message (${f.pending} bytes) at end` }, ts);
    }
  }

  private framer(dir: Direction): LengthPrefixedFramer {
    return new LengthPrefixedFramer({
      prefixBytes: 2,
      minFrame: 12,
      maxFrame: 0xffff,
      probeBytes: 12,
      plausible: (length, probe) => plausibleHeader(probe, length),
      frame: (payload, wireBytes, startTs, endTs) => {
        const msg = dnsMessage(dir, payload, wireBytes, startTs, endTs);
        if (msg instanceof DnsError) this.sink.anomaly(dir, { code: 'protocol-violation', detail: msg.detail }, endTs);
        else this.sink.message(msg);
      },
      resynced: (skipped, ts) => {
        if (skipped > 0) this.sink.anomaly(dir, { code: 'protocol-violation', detail: `skipped ${skipped} bytes to the next plausible DNS message` }, ts);
      },
    });
  }
}
