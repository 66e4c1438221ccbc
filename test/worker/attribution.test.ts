/**
 * Attribution rules with a scripted connection table: pending then completed, one lookup per
 * conversation, loopback scoped to the capture's namespace, listener and namespace fallbacks, no
 * guess when two namespaces could own an endpoint, and a wait for the first scan.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionTable } from '../../src/identity/index.js';
import { silentLogger, type AttributedSocket, type ConnectionInfo, type Entry, type FlowQuery } from '../../src/model/index.js';
import { buildEntry } from '../../src/correlate/index.js';
import { Attributor } from '../../src/worker/attribution.js';

function socket(over: Partial<AttributedSocket>): AttributedSocket {
  return {
    proto: 'tcp', family: 4, state: 'ESTABLISHED', local: { ip: '10.0.0.1', port: 1 }, remote: { ip: '10.0.0.2', port: 2 }, inode: 1,
    netns: 100, netnsName: null, role: null, pid: 10, fd: 3, comm: 'app', exe: '/app', ppid: 1, nspid: null, uid: 0, socketUid: 0,
    container: { id: 'c0', runtime: 'containerd' }, pod: { uid: 'pod-a' }, sharedWith: [], ...over,
  };
}

interface FakeTable {
  queries: FlowQuery[];
  flows: AttributedSocket[];
  bound: AttributedSocket[];
  addresses: Map<string, number[]>;
  scanned: boolean;
}

function fakeTable(state: FakeTable, delayMs = 0): ConnectionTable {
  const match = (q: FlowQuery, s: AttributedSocket, l = q.local, r = q.remote): boolean =>
    s.local.ip === l.ip && s.local.port === l.port && s.remote.ip === r.ip && s.remote.port === r.port && (q.netns === undefined || s.netns === q.netns);
  const fake = {
    async lookup(q: FlowQuery) {
      state.queries.push(q);
      await new Promise((r) => setTimeout(r, delayMs));
      const local = state.flows.filter((s) => match(q, s));
      const peer = state.flows.filter((s) => match(q, s, q.remote, q.local));
      return { local, peer, source: 'rescan', namespacesRead: 1, elapsedMs: 0 };
    },
    status: () => ({ fullScans: state.scanned ? 1 : 0 }),
    whenScanned: () => Promise.resolve().then(() => void (state.scanned = true)),
    findBound: (_p: string, ip: string, port: number, netns?: number) =>
      state.bound.filter((s) => s.local.port === port && (s.local.ip === ip || s.local.ip === '0.0.0.0') && (netns === undefined || s.netns === netns)),
    namespacesWithAddress: (ip: string) => state.addresses.get(ip) ?? [],
    anyOwnerIn: (netns: number) => [...state.flows, ...state.bound].find((s) => s.netns === netns) ?? null,
  };
  return fake as unknown as ConnectionTable;
}

const conn = (a: [string, number], b: [string, number], id = 'c1'): ConnectionInfo => ({ id, transport: 'tcp', a: { ip: a[0], port: a[1] }, b: { ip: b[0], port: b[1] }, initiatorKnown: true });

function entryOn(c: ConnectionInfo): Entry {
  const ts = { sec: 1, nsec: 0 };
  const request = { protocol: 'http', kind: 'request', dir: 0, pairKey: null, startTs: ts, endTs: ts, size: 10, anomalies: [], detail: {} } as never;
  return buildEntry('e1', { conn: c, request, response: null, anomalies: [] }, 'pending');
}

describe('Attributor', () => {
  it('sends an entry pending, then completes it once, sharing one lookup per conversation', async () => {
    const state: FakeTable = { queries: [], flows: [], bound: [], addresses: new Map(), scanned: true };
    state.flows.push(socket({ local: { ip: '10.0.0.1', port: 40000 }, remote: { ip: '10.0.0.2', port: 80 }, pid: 11, netns: 100, pod: { uid: 'client' } }));
    state.flows.push(socket({ local: { ip: '10.0.0.2', port: 80 }, remote: { ip: '10.0.0.1', port: 40000 }, pid: 22, netns: 200, pod: { uid: 'server' } }));
    const updates: Entry[] = [];
    const attributor = new Attributor({ table: fakeTable(state, 20), log: silentLogger, captureNetns: 1, onUpdate: (e) => updates.push(e) });
    const c = conn(['10.0.0.1', 40000], ['10.0.0.2', 80]);
    attributor.noteConversation(c);
    const first = attributor.attribute(entryOn(c), c);
    expect(first.src.resolution).toBe('pending');
    await new Promise((r) => setTimeout(r, 60));
    expect(updates).toHaveLength(1);
    expect(updates[0]!.src).toMatchObject({ resolution: 'resolved', process: { pid: 11 }, pod: { uid: 'client' } });
    expect(updates[0]!.dst).toMatchObject({ resolution: 'resolved', process: { pid: 22 }, pod: { uid: 'server' } });
    const second = attributor.attribute(entryOn(c), c);
    expect(second.dst.process?.pid).toBe(22);
    expect(state.queries).toHaveLength(1);
  });

  it('looks up loopback flows in the capture namespace only', async () => {
    const state: FakeTable = { queries: [], flows: [], bound: [], addresses: new Map(), scanned: true };
    state.bound.push(socket({ state: 'LISTEN', local: { ip: '127.0.0.1', port: 8080 }, remote: { ip: '0.0.0.0', port: 0 }, netns: 1, pid: 5 }));
    state.bound.push(socket({ state: 'LISTEN', local: { ip: '127.0.0.1', port: 8080 }, remote: { ip: '0.0.0.0', port: 0 }, netns: 2, pid: 6 }));
    const attributor = new Attributor({ table: fakeTable(state), log: silentLogger, captureNetns: 1, onUpdate: () => undefined });
    const c = conn(['127.0.0.1', 50000], ['127.0.0.1', 8080]);
    attributor.noteConversation(c);
    await new Promise((r) => setTimeout(r, 10));
    const e = attributor.attribute(entryOn(c), c);
    expect(state.queries[0]!.netns).toBe(1);
    expect(e.dst.process?.pid).toBe(5);
    // The client's socket is gone, and loopback names no namespace: unresolved, not guessed.
    expect(e.src).toMatchObject({ resolution: 'unresolved', process: null, pod: null });
  });

  it('falls back to the listener, then to the namespace owning the address, and never guesses between two', async () => {
    const state: FakeTable = { queries: [], flows: [], bound: [], addresses: new Map([['10.0.0.1', [100]], ['10.0.0.3', [300, 301]]]), scanned: true };
    state.bound.push(socket({ state: 'LISTEN', local: { ip: '0.0.0.0', port: 80 }, remote: { ip: '0.0.0.0', port: 0 }, netns: 200, pid: 22, pod: { uid: 'server' } }));
    state.bound.push(socket({ state: 'LISTEN', local: { ip: '0.0.0.0', port: 9000 }, remote: { ip: '0.0.0.0', port: 0 }, netns: 200, pid: 22 }));
    state.bound.push(socket({ state: 'LISTEN', local: { ip: '0.0.0.0', port: 9000 }, remote: { ip: '0.0.0.0', port: 0 }, netns: 201, pid: 23 }));
    state.flows.push(socket({ local: { ip: '10.0.0.1', port: 5 }, remote: { ip: '10.9.9.9', port: 5 }, netns: 100, pid: 11, pod: { uid: 'client-pod' } }));
    const attributor = new Attributor({ table: fakeTable(state), log: silentLogger, captureNetns: 1, onUpdate: () => undefined });
    const c = conn(['10.0.0.1', 40000], ['10.0.0.2', 80]);
    attributor.noteConversation(c);
    await new Promise((r) => setTimeout(r, 10));
    const e = attributor.attribute(entryOn(c), c);
    expect(e.dst).toMatchObject({ resolution: 'resolved', process: { pid: 22 }, pod: { uid: 'server' } });
    expect(e.src).toMatchObject({ resolution: 'resolved', process: null, container: null, pod: { uid: 'client-pod' }, netns: { inode: 100 } });
    // Port 9000 is bound in two namespaces and 10.0.0.3 has two owners: no answer is better than a guess.
    const ambiguous = conn(['10.0.0.3', 40001], ['10.0.0.4', 9000], 'c2');
    attributor.noteConversation(ambiguous);
    await new Promise((r) => setTimeout(r, 10));
    const a = attributor.attribute(entryOn(ambiguous), ambiguous);
    expect(a.src.resolution).toBe('unresolved');
    expect(a.dst.resolution).toBe('unresolved');
  });

  it('waits for the first full scan before calling an endpoint unresolved', async () => {
    const state: FakeTable = { queries: [], flows: [], bound: [], addresses: new Map(), scanned: false };
    const attributor = new Attributor({ table: fakeTable(state), log: silentLogger, captureNetns: 1, onUpdate: () => undefined });
    const c = conn(['10.0.0.1', 40000], ['10.0.0.2', 80]);
    attributor.noteConversation(c);
    await new Promise((r) => setTimeout(r, 10));
    expect(state.queries).toHaveLength(2);
    expect(state.scanned).toBe(true);
  });
});
