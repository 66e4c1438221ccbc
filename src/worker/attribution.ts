/**
 * Attribution of entries' endpoints from the connection table (DESIGN.md rule 3: never waits, never
 * lies). A lookup of a conversation starts at its first packet — while its sockets still exist — and
 * is shared by every entry of that conversation. An entry whose lookup has not finished goes out as
 * `pending` and is completed through `onUpdate` when it has.
 *
 * Per side, most specific first:
 * 1. the socket whose (local, remote) is the side's flow — process, container, pod, netns;
 * 2. for a server whose accepted socket is gone, the socket bound to its address and port (listener,
 *    unconnected UDP) — the same, from the listener's owner;
 * 3. the one namespace that owns the side's address — its pod and netns, no process or container (a
 *    short-lived client can close its socket before a lookup, ~10 ms of procfs reads, reaches it);
 * else `unresolved` once the table's first full scan has finished (before that, the lookup waits for
 * it, so connections that existed before the worker started are resolved by the scan). Loopback
 * addresses exist in every namespace: a loopback flow is looked up in the capture's own namespace
 * only, the one whose `lo` the packets were captured on.
 */
import type { ConnectionTable } from '../identity/index.js';
import { isLoopbackIp, type AttributedSocket, type ConnectionInfo, type Entry, type EntryEndpoint, type L4Endpoint, type StageLogger } from '../model/index.js';

type Identity = Pick<EntryEndpoint, 'process' | 'container' | 'pod' | 'netns'>;

/** What a conversation's lookup found for its `a` and `b` sides (null: not on this node). */
interface SidesFound {
  a: Identity | null;
  b: Identity | null;
}

export interface AttributorOptions {
  readonly table: ConnectionTable;
  readonly log: StageLogger;
  /** Called with the completed entry when a pending entry's lookup finishes. */
  readonly onUpdate: (entry: Entry) => void;
  /** Inode of the network namespace capture runs in (scope of loopback flows); null if unknown. */
  readonly captureNetns: number | null;
  /** Conversations remembered at most (oldest forgotten first). Default 65,536. */
  readonly maxConversations?: number;
}

export class Attributor {
  private readonly lookups = new Map<string, { done: SidesFound | null; promise: Promise<SidesFound> }>();
  private readonly max: number;

  constructor(private readonly options: AttributorOptions) {
    this.max = options.maxConversations ?? 65_536;
  }

  /** Start looking up a new conversation's sockets (call at its first packet). */
  noteConversation(conn: ConnectionInfo): void {
    if (this.lookups.has(conn.id)) return;
    if (this.lookups.size >= this.max) this.lookups.delete(this.lookups.keys().next().value!);
    const slot: { done: SidesFound | null; promise: Promise<SidesFound> } = { done: null, promise: Promise.resolve({ a: null, b: null }) };
    slot.promise = this.lookup(conn).then(
      (found) => (slot.done = found),
      (err: unknown) => {
        this.options.log.debug({ err, conn: conn.id }, 'lookup failed');
        return (slot.done = { a: null, b: null });
      },
    );
    this.lookups.set(conn.id, slot);
  }

  /** The conversation is over; its result is kept for entries still in flight, then dropped. */
  forgetConversation(conn: ConnectionInfo): void {
    const slot = this.lookups.get(conn.id);
    if (!slot) return;
    void slot.promise.then(() => this.lookups.delete(conn.id));
  }

  /** The entry with whatever is known now; if the lookup is still running, `onUpdate` follows. */
  attribute(entry: Entry, conn: ConnectionInfo): Entry {
    let slot = this.lookups.get(conn.id);
    if (!slot) {
      this.noteConversation(conn);
      slot = this.lookups.get(conn.id)!;
    }
    if (slot.done) return this.fill(entry, conn, slot.done);
    void slot.promise.then((found) => this.options.onUpdate(this.fill(entry, conn, found)));
    return entry;
  }

  private fill(entry: Entry, conn: ConnectionInfo, found: SidesFound): Entry {
    const srcIsA = entry.src.ip === conn.a.ip && entry.src.port === conn.a.port;
    const [src, dst] = srcIsA ? [found.a, found.b] : [found.b, found.a];
    return { ...entry, src: withIdentity(entry.src, src), dst: withIdentity(entry.dst, dst) };
  }

  private async lookup(conn: ConnectionInfo): Promise<SidesFound> {
    const { table } = this.options;
    const loopback = isLoopbackIp(conn.a.ip) || isLoopbackIp(conn.b.ip);
    const netns = loopback ? (this.options.captureNetns ?? undefined) : undefined;
    const query = { proto: conn.transport, local: conn.a, remote: conn.b, netns };
    let result = await table.lookup(query);
    let found = this.sides(conn, result.local, result.peer, netns);
    if ((!found.a || !found.b) && table.status().fullScans === 0) {
      await table.whenScanned().catch(() => undefined);
      result = await table.lookup(query);
      found = this.sides(conn, result.local, result.peer, netns);
    }
    return found;
  }

  private sides(conn: ConnectionInfo, local: AttributedSocket[], peer: AttributedSocket[], netns: number | undefined): SidesFound {
    const peerScoped = (sockets: AttributedSocket[]): AttributedSocket[] => (netns === undefined ? sockets : sockets.filter((s) => s.netns === netns));
    return {
      a: identity(pickOwned(local)) ?? this.bound(conn, conn.a, netns) ?? this.namespaceOf(conn.a.ip),
      b: identity(pickOwned(peerScoped(peer))) ?? this.bound(conn, conn.b, netns) ?? this.namespaceOf(conn.b.ip),
    };
  }

  private bound(conn: ConnectionInfo, side: L4Endpoint, netns: number | undefined): Identity | null {
    const candidates = this.options.table.findBound(conn.transport, side.ip, side.port, netns).filter((s) => s.pid !== null);
    // Only an unambiguous answer: two namespaces binding the same address would be a guess.
    const netnses = new Set(candidates.map((s) => s.netns));
    return netnses.size === 1 ? identity(pickOwned(candidates)) : null;
  }

  private namespaceOf(ip: string): Identity | null {
    const owners = this.options.table.namespacesWithAddress(ip);
    if (owners.length !== 1) return null;
    const member = this.options.table.anyOwnerIn(owners[0]!);
    if (!member) return null;
    return { process: null, container: null, pod: member.pod, netns: { inode: member.netns, name: member.netnsName } };
  }
}

function pickOwned(sockets: AttributedSocket[]): AttributedSocket | null {
  return sockets.find((s) => s.pid !== null) ?? null;
}

function identity(s: AttributedSocket | null): Identity | null {
  if (!s || s.pid === null) return null;
  return {
    process: { pid: s.pid, comm: s.comm ?? '', exe: s.exe },
    container: s.container,
    pod: s.pod,
    netns: { inode: s.netns, name: s.netnsName },
  };
}

function withIdentity(end: EntryEndpoint, found: Identity | null): EntryEndpoint {
  return found ? { ...end, ...found, resolution: 'resolved' } : { ...end, resolution: 'unresolved' };
}
