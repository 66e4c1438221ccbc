/**
 * The dissector registry: which dissectors exist and in which order a connection offers its bytes to
 * them. Ports are hints only: dissectors whose spec lists either port of the connection are asked
 * first, then the rest by descending priority; content detection decides. Immutable once built.
 */
import type { ConnectionInfo, ProtocolName, Transport } from '../model/index.js';
import type { Dissector } from './types.js';

export class DissectorRegistry {
  private readonly dissectors: readonly Dissector[];

  constructor(dissectors: readonly Dissector[]) {
    // Stable: equal priorities keep registration order, so detection order is deterministic.
    this.dissectors = [...dissectors].sort((x, y) => y.spec.priority - x.spec.priority);
  }

  /** Every registered dissector, by descending priority. */
  all(): readonly Dissector[] {
    return this.dissectors;
  }

  /** Protocol names registered. */
  protocols(): ProtocolName[] {
    return [...new Set(this.dissectors.map((d) => d.spec.id))];
  }

  /** A registry with only the dissectors of `protocols`. */
  only(protocols: readonly ProtocolName[]): DissectorRegistry {
    const wanted = new Set(protocols);
    return new DissectorRegistry(this.dissectors.filter((d) => wanted.has(d.spec.id)));
  }

  /** Dissectors to try on `conn`, port-hinted first. */
  candidates(conn: ConnectionInfo): Dissector[] {
    return this.candidatesFor(conn.transport, conn.a.port, conn.b.port);
  }

  candidatesFor(transport: Transport, portA: number, portB: number): Dissector[] {
    const forTransport = this.dissectors.filter((d) => d.spec.transport === transport);
    const hinted = forTransport.filter((d) => d.spec.ports.includes(portA) || d.spec.ports.includes(portB));
    return [...hinted, ...forTransport.filter((d) => !hinted.includes(d))];
  }
}
