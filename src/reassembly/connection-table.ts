/**
 * Connections by 4-tuple, both directions to one entry, without building a key string per packet:
 * nested maps keyed by the lower address text, the higher address text and a number holding both
 * ports (lower endpoint's port first). Address strings from the decoder are cached objects, so their
 * hashes are computed once. Endpoints are ordered by (address text, port).
 */
import type { Connection } from './connection.js';

type PortMap = Map<number, Connection>;

/** Whether (srcIp, srcPort) is the lower endpoint of the pair. */
export function isLower(srcIp: string, srcPort: number, dstIp: string, dstPort: number): boolean {
  return srcIp === dstIp ? srcPort <= dstPort : srcIp < dstIp;
}

/** 4-tuple → connection; a connection is found from either direction. */
export class ConnectionTable {
  private readonly byLo = new Map<string, Map<string, PortMap>>();

  get(srcIp: string, srcPort: number, dstIp: string, dstPort: number): Connection | undefined {
    return isLower(srcIp, srcPort, dstIp, dstPort)
      ? this.byLo.get(srcIp)?.get(dstIp)?.get(srcPort * 65536 + dstPort)
      : this.byLo.get(dstIp)?.get(srcIp)?.get(dstPort * 65536 + srcPort);
  }

  add(c: Connection): void {
    let byHi = this.byLo.get(c.loIp);
    if (byHi === undefined) this.byLo.set(c.loIp, (byHi = new Map<string, PortMap>()));
    let ports = byHi.get(c.hiIp);
    if (ports === undefined) byHi.set(c.hiIp, (ports = new Map<number, Connection>()));
    ports.set(c.ports, c);
  }

  delete(c: Connection): void {
    const byHi = this.byLo.get(c.loIp);
    const ports = byHi?.get(c.hiIp);
    if (byHi === undefined || ports === undefined || ports.get(c.ports) !== c) return;
    ports.delete(c.ports);
    if (ports.size > 0) return;
    byHi.delete(c.hiIp);
    if (byHi.size === 0) this.byLo.delete(c.loIp);
  }
}
