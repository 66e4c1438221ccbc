/**
 * Ground truth from the simulated node: what every socket a holder reports should look like in podsniff's
 * output, and a matcher that finds the record for it (same namespace, protocol and 4-tuple).
 */
import { statSync } from 'node:fs';
import { expect } from 'vitest';
import { canonicalIp, type AttributedSocket } from '../../src/model/index.js';
import type { Holder, SocketInfo } from '../support/simnode.js';

/** Namespace inode of a named network namespace. */
export function netnsInode(name: string): number {
  return statSync(`/run/netns/${name}`).ino;
}

/** What we expect podsniff to say of one held socket. */
export interface ExpectedSocket {
  holder: Holder;
  socket: SocketInfo;
  netns: number;
  role: 'server' | 'client' | null;
}

const ROLE: Record<SocketInfo['kind'], 'server' | 'client' | null> = {
  listen: 'server',
  accepted: 'server',
  connected: 'client',
  'udp-bound': 'server',
  'udp-connected': 'client',
};

/** Expected records for every socket in the holders' latest reports. */
export async function expectedSockets(holders: Holder[]): Promise<ExpectedSocket[]> {
  const out: ExpectedSocket[] = [];
  for (const holder of holders) {
    const report = await holder.report();
    const netns = netnsInode(holder.netns!);
    for (const socket of report.sockets) {
      const role = socket.kind === 'udp-bound' && socket.local.port >= 32768 ? null : ROLE[socket.kind];
      out.push({ holder, socket, netns, role });
    }
  }
  return out;
}

function same(a: { ip: string; port: number }, b: { ip: string; port: number }): boolean {
  return canonicalIp(a.ip) === canonicalIp(b.ip) && a.port === b.port;
}

/** The record for `e`, failing the test with context when there is none or more than one. */
export function findRecord(records: AttributedSocket[], e: ExpectedSocket): AttributedSocket {
  const s = e.socket;
  const found = records.filter(
    (r) => r.netns === e.netns && r.proto === s.proto && r.family === s.family && same(r.local, s.local) && same(r.remote, s.remote) && r.state !== 'TIME_WAIT',
  );
  expect(found, `one record for ${s.kind} ${s.proto}${s.family} ${s.local.ip}:${s.local.port} -> ${s.remote.ip}:${s.remote.port} of pid ${e.holder.pid}`).toHaveLength(1);
  return found[0]!;
}

/** Assert that `record` attributes `e` correctly. */
export function expectAttributed(record: AttributedSocket, e: ExpectedSocket): void {
  const owners = [record.pid, ...record.sharedWith];
  const context = `${e.socket.kind} ${e.socket.local.ip}:${e.socket.local.port} of pid ${e.holder.pid}`;
  expect(owners, context).toContain(e.holder.pid);
  if (record.pid === e.holder.pid) expect(record.fd, context).toBe(e.socket.fd);
  expect(record.netns, context).toBe(e.netns);
  expect(record.netnsName, context).toBe(e.holder.netns);
  expect(record.container?.id ?? null, context).toBe(e.holder.containerId);
  expect(record.pod?.uid ?? null, context).toBe(e.holder.podUid);
  expect(record.role, context).toBe(e.role);
}
