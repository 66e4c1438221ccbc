import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSocketTable, SocketTableParser, stateName, type SocketTableRow } from '../../src/procfs/index.js';

// Lines as the kernel prints them (x86_64, little-endian), taken from real /proc/net files.
const TCP4 = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ',
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 100 0 0 10 0                     ',
  '   1: 0200F40A:C350 0300F40A:1F90 01 00000000:00000000 02:000A7D5B 00000000  1000        0 424242 2 0000000000000000 20 4 30 10 -1                   ',
  '   2: 0100007F:1F90 0100007F:D431 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000                                       ',
].join('\n') + '\n';

const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 555 1 0000000000000000 100 0 0 10 0',
  '   1: 00000000000000000000000001000000:0050 00000000000000000000000001000000:A000 01 00000000:00000000 00:00000000 00000000   100        0 556 1 0000000000000000 20 4 30 10 -1',
  '   2: 0000000000000000FFFF00000100007F:0050 0000000000000000FFFF00000100007F:A001 01 00000000:00000000 00:00000000 00000000     0        0 557 1 0000000000000000 20 4 30 10 -1',
  '   3: 0000FDFD000000000000000002000000:1F90 0000FDFD000000000000000003000000:B000 01 00000000:00000000 00:00000000 00000000     0        0 558 1 0000000000000000 20 4 30 10 -1',
].join('\n') + '\n';

const UDP4 = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
  '  123: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 9001 2 0000000000000000 0',
  '  456: 0100007F:E000 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 9002 2 0000000000000000 0',
].join('\n') + '\n';

describe('socket table parser', () => {
  it('reads IPv4 TCP rows', () => {
    const rows = parseSocketTable('tcp', 4, TCP4);
    expect(rows).toEqual([
      { proto: 'tcp', family: 4, localIp: '127.0.0.1', localPort: 8080, remoteIp: '0.0.0.0', remotePort: 0, state: 10, uid: 0, inode: 31337 },
      { proto: 'tcp', family: 4, localIp: '10.244.0.2', localPort: 50000, remoteIp: '10.244.0.3', remotePort: 8080, state: 1, uid: 1000, inode: 424242 },
      { proto: 'tcp', family: 4, localIp: '127.0.0.1', localPort: 8080, remoteIp: '127.0.0.1', remotePort: 54321, state: 6, uid: 0, inode: 0 },
    ]);
    expect(rows.map((r) => stateName('tcp', r.state))).toEqual(['LISTEN', 'ESTABLISHED', 'TIME_WAIT']);
  });

  it('reads IPv6 rows, including IPv4-mapped addresses', () => {
    const rows = parseSocketTable('tcp', 6, TCP6);
    expect(rows.map((r) => [r.localIp, r.localPort, r.remoteIp, r.remotePort, r.inode])).toEqual([
      ['::', 8080, '::', 0, 555],
      ['::1', 80, '::1', 40960, 556],
      ['::ffff:127.0.0.1', 80, '::ffff:127.0.0.1', 40961, 557],
      ['fdfd::2', 8080, 'fdfd::3', 45056, 558],
    ]);
  });

  it('names UDP states like ss', () => {
    const rows = parseSocketTable('udp', 4, UDP4);
    expect(rows.map((r) => stateName('udp', r.state))).toEqual(['UNCONN', 'ESTABLISHED']);
    expect(rows[0]).toMatchObject({ localPort: 53, uid: 101, inode: 9001 });
  });

  it('gives the same rows for any chunking of its input', () => {
    const bytes = Buffer.from(TCP6, 'latin1');
    const whole = parseSocketTable('tcp', 6, bytes);
    const parseInChunks = (cuts: number[]): SocketTableRow[] => {
      const rows: SocketTableRow[] = [];
      const parser = new SocketTableParser('tcp', 6, (r) => rows.push(r));
      let at = 0;
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        parser.push(bytes.subarray(at, cut));
        at = cut;
      }
      parser.push(bytes.subarray(at));
      parser.end();
      return rows;
    };
    // byte by byte
    expect(parseInChunks(Array.from({ length: bytes.length }, (_, i) => i))).toEqual(whole);
    // random split points
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), (cuts) => {
        expect(parseInChunks(cuts)).toEqual(whole);
      }),
    );
  });

  it('does not keep a reference to pushed chunks', () => {
    const rows: SocketTableRow[] = [];
    const parser = new SocketTableParser('tcp', 4, (r) => rows.push(r));
    const bytes = Buffer.from(TCP4, 'latin1');
    const chunk = Buffer.from(bytes.subarray(0, 200));
    parser.push(chunk);
    chunk.fill(0x20); // the caller reuses its buffer
    parser.push(bytes.subarray(200));
    parser.end();
    expect(rows).toEqual(parseSocketTable('tcp', 4, TCP4));
  });

  it('parses a last line without a newline, and skips malformed rows without losing good ones', () => {
    const text = TCP4.trimEnd() + '\n   9: garbage line here\n   4: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1';
    const rows: SocketTableRow[] = [];
    const parser = new SocketTableParser('tcp', 4, (r) => rows.push(r));
    parser.push(Buffer.from(text, 'latin1'));
    parser.end();
    expect(rows.map((r) => r.inode)).toEqual([31337, 424242, 0, 77]);
    expect(parser.malformedRows).toBe(1);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const parser = new SocketTableParser('tcp', 6, () => {});
        parser.push(bytes);
        parser.end();
      }),
    );
  });
});
