import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionTable } from '../../src/identity/index.js';
import { ProcfsReader } from '../../src/procfs/index.js';
import type { AttributedSocket } from '../../src/model/index.js';
import { FakeProcfs } from './fake-procfs.js';

const NS_A = 4026532001;
const NS_B = 4026532002;
const UID_A = '11111111-2222-3333-4444-555555555555';
const ID_A = 'a'.repeat(64);
const UID_B = '66666666-7777-8888-9999-000000000000';
const ID_B = 'b'.repeat(64);
const cgroupA = `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_A.replace(/-/g, '_')}.slice/cri-containerd-${ID_A}.scope\n`;
const cgroupB = `9:name=systemd:/kubepods/besteffort/pod${UID_B}/${ID_B}\n0::/\n`;

/** The two listeners of NS_B, kept in every variant of its table. */
const B_LISTENERS = [
  { local: '127.0.0.1:8080', st: '0A', inode: 200 },
  { local: '0.0.0.0:9090', st: '0A', inode: 201 },
];

let fake: FakeProcfs;
const tables: ConnectionTable[] = [];

function table(): ConnectionTable {
  const t = new ConnectionTable({ procfs: fake.root, netnsDir: `${fake.root}/no-netns-dir`, sliceMs: 1 });
  tables.push(t);
  return t;
}

function byInode(list: AttributedSocket[], inode: number): AttributedSocket {
  const found = list.find((s) => s.inode === inode);
  if (!found) throw new Error(`no socket with inode ${inode} in ${JSON.stringify(list.map((s) => s.inode))}`);
  return found;
}

beforeEach(() => {
  fake = new FakeProcfs();
  // Two pods that both own 127.0.0.1:8080, and a cross-pod connection A -> B.
  fake
    .namespace(NS_A, {
      tcp: [
        { local: '127.0.0.1:8080', st: '0A', inode: 100 },
        { local: '10.244.0.2:40000', remote: '10.244.0.3:9090', st: '01', inode: 101 },
        { local: '127.0.0.1:8080', remote: '127.0.0.1:51000', st: '06', inode: 0 },
        { local: '127.0.0.1:8080', remote: '127.0.0.1:52000', st: '01', inode: 102 },
        { local: '127.0.0.1:52000', remote: '127.0.0.1:8080', st: '01', inode: 103 },
      ],
      udp6: [{ local: '[::]:5353', st: '07', inode: 104 }],
      addresses4: ['10.244.0.2'],
    })
    .namespace(NS_B, {
      tcp: [
        ...B_LISTENERS,
        { local: '10.244.0.3:9090', remote: '10.244.0.2:40000', st: '01', inode: 202 },
      ],
      udp: [{ local: '10.244.0.3:45000', remote: '10.244.0.9:53', st: '01', inode: 203 }],
      addresses4: ['10.244.0.3'],
    })
    .process({ pid: 10, netns: NS_A, comm: 'web', cgroup: cgroupA, nspid: 1, uid: 1000, fds: { 0: '/dev/null', 3: 100, 4: 102, 5: 104 } })
    .process({ pid: 11, netns: NS_A, comm: 'client', cgroup: cgroupA, ppid: 10, fds: { 3: 101, 7: 103 } })
    // 12 is a fork of 10 that shares its listener
    .process({ pid: 12, netns: NS_A, comm: 'web', cgroup: cgroupA, ppid: 10, fds: { 3: 100 } })
    .process({ pid: 20, netns: NS_B, comm: 'api', cgroup: cgroupB, fds: { 3: 200, 4: 201, 5: 202, 6: 203 } });
});

afterEach(() => {
  for (const t of tables.splice(0)) t.stop();
  fake.destroy();
});

describe('ConnectionTable over a procfs tree', () => {
  it('attributes every socket to its pid, fd, namespace, container, pod and role', async () => {
    const t = table();
    await t.whenScanned();
    const all = t.list();
    expect(all).toHaveLength(10);

    expect(byInode(all, 100)).toEqual({
      proto: 'tcp', family: 4, state: 'LISTEN', local: { ip: '127.0.0.1', port: 8080 }, remote: { ip: '0.0.0.0', port: 0 },
      inode: 100, netns: NS_A, netnsName: null, role: 'server', pid: 10, fd: 3, comm: 'web', exe: '/usr/bin/web', ppid: 1,
      nspid: 1, uid: 1000, socketUid: 0, container: { id: ID_A, runtime: 'containerd' }, pod: { uid: UID_A }, sharedWith: [12],
    } satisfies AttributedSocket);
    expect(byInode(all, 200)).toMatchObject({ netns: NS_B, pid: 20, fd: 3, role: 'server', container: { id: ID_B, runtime: 'unknown' }, pod: { uid: UID_B } });
    expect(byInode(all, 101)).toMatchObject({ pid: 11, fd: 3, role: 'client', state: 'ESTABLISHED' });
    expect(byInode(all, 202)).toMatchObject({ pid: 20, fd: 5, role: 'server' });
    expect(byInode(all, 102)).toMatchObject({ pid: 10, fd: 4, role: 'server' });
    expect(byInode(all, 103)).toMatchObject({ pid: 11, fd: 7, role: 'client' });
    expect(byInode(all, 104)).toMatchObject({ proto: 'udp', family: 6, state: 'UNCONN', role: 'server', local: { ip: '::', port: 5353 } });
    expect(byInode(all, 203)).toMatchObject({ proto: 'udp', state: 'ESTABLISHED', role: 'client' });
    const timeWait = all.find((s) => s.state === 'TIME_WAIT')!;
    expect(timeWait).toMatchObject({ pid: null, fd: null, inode: 0, netns: NS_A, role: 'server', container: null });
  });

  it('never confuses two pods that own the same address', async () => {
    const t = table();
    await t.whenScanned();
    const listeners = t.list({ state: 'LISTEN' }).filter((s) => s.local.ip === '127.0.0.1' && s.local.port === 8080);
    expect(listeners.map((s) => [s.netns, s.pid, s.pod?.uid]).sort()).toEqual([
      [NS_A, 10, UID_A],
      [NS_B, 20, UID_B],
    ]);
  });

  it('filters by pid, namespace, pod, container, protocol and listening', async () => {
    const t = table();
    await t.whenScanned();
    expect(t.list({ pid: 12 }).map((s) => s.inode)).toEqual([100]); // shared socket found through sharedWith
    expect(t.list({ netns: NS_B }).map((s) => s.inode).sort()).toEqual([200, 201, 202, 203]);
    expect(t.list({ podUid: UID_B })).toHaveLength(4);
    expect(t.list({ containerId: ID_A.slice(0, 12) })).toHaveLength(5);
    expect(t.list({ proto: 'udp' }).map((s) => s.inode).sort()).toEqual([104, 203]);
    expect(t.list({ listeningOnly: true }).map((s) => s.inode).sort()).toEqual([100, 104, 200, 201]);
  });

  it('counts processes that vanish mid-scan and still attributes the rest', async () => {
    fake.process({ pid: 30, netns: NS_B, comm: 'gone-before-stat' }).remove(30, 'stat');
    fake.process({ pid: 31, netns: NS_B, comm: 'gone-before-fds', fds: { 3: 999 } }).remove(31, 'fd');
    const t = table();
    await t.whenScanned();
    const status = t.status();
    expect(status.phase).toBe('idle');
    expect(status.lastFullScan!.counters.vanishedPids).toBe(2);
    expect(byInode(t.list(), 202)).toMatchObject({ pid: 20 });
  });

  it('skips zombies without counting them as churn', async () => {
    fake.process({ pid: 60, netns: NS_A, comm: 'defunct', state: 'Z' }).remove(60, 'ns').remove(60, 'fd');
    const t = table();
    await t.whenScanned();
    expect(t.status().lastFullScan!.counters).toMatchObject({ vanishedPids: 0, deniedPids: 0, errors: {}, pids: 4 });
  });

  it('does not take a table read through a pid that was reused in another namespace', async () => {
    // pid 5 is listed in NS_B, but by the time its table is read the pid belongs to a process of NS_A.
    fake.process({ pid: 5, netns: NS_B, comm: 'reused' });
    fake.namespace(NS_A, { tcp: [{ local: '127.0.0.1:1', st: '0A', inode: 900 }] }).refreshTables(NS_A, [5]);
    class RacingReader extends ProcfsReader {
      private calls = 0;
      override netnsInode(pid: number): number {
        if (pid === 5 && ++this.calls > 1) return NS_A;
        return super.netnsInode(pid);
      }
    }
    const t = new ConnectionTable({ reader: new RacingReader(fake.root), netnsDir: `${fake.root}/none`, sliceMs: 1 });
    tables.push(t);
    await t.whenScanned();
    expect(t.list().find((s) => s.inode === 900)).toBeUndefined();
    expect(t.list({ netns: NS_B }).map((s) => s.inode).sort()).toEqual([200, 201, 202, 203]);
    expect(t.status().lastFullScan!.counters.vanishedPids).toBe(1);
  });

  it('does not lend the fds of a reused pid to the process it replaced', async () => {
    // pid 11 is replaced by a new process (new start time) while its fds are walked.
    class RacingReader extends ProcfsReader {
      private stats = 0;
      override stat(pid: number) {
        const real = super.stat(pid);
        return pid === 11 && ++this.stats > 1 ? { ...real, startTime: real.startTime + 1 } : real;
      }
    }
    const t = new ConnectionTable({ reader: new RacingReader(fake.root), netnsDir: `${fake.root}/none`, sliceMs: 1 });
    tables.push(t);
    await t.whenScanned();
    expect(byInode(t.list(), 101)).toMatchObject({ pid: null, fd: null });
    expect(byInode(t.list(), 100)).toMatchObject({ pid: 10 });
  });

  it('takes a missing table file of a live process as an empty table (kernel without IPv6)', async () => {
    for (const pid of [10, 11, 12, 20]) fake.remove(pid, 'net/tcp6').remove(pid, 'net/udp6');
    const t = table();
    await t.whenScanned();
    expect(t.list()).toHaveLength(9); // everything but the udp6 socket
    expect(t.status().lastFullScan!.counters).toMatchObject({ vanishedPids: 0, errors: {}, namespaces: 2 });
  });

  it('reads a namespace through its next member when the first one is gone', async () => {
    fake.process({ pid: 5, netns: NS_B, comm: 'early' }).remove(5, 'net').remove(5, 'fd');
    const t = table();
    await t.whenScanned();
    expect(t.list({ netns: NS_B })).toHaveLength(4);
    expect(t.status().table.namespaces).toBe(2);
  });

  it('attributes a socket held by a process of another namespace', async () => {
    // pid 9 lives in NS_B but holds NS_A's socket 101 too (passed over a unix socket)
    fake.process({ pid: 9, netns: NS_B, comm: 'holder', fds: { 3: 101 } });
    fake.remove(11);
    const t = table();
    await t.whenScanned();
    expect(byInode(t.list(), 101)).toMatchObject({ netns: NS_A, pid: 9, fd: 3, comm: 'holder' });
  });

  it('sees new processes and closed sockets on refresh, and pid reuse', async () => {
    const t = table();
    await t.whenScanned();
    // A new process opens a socket in NS_B; pid 11 exits and its pid is reused in NS_B.
    fake.namespace(NS_B, {
      tcp: [
        ...B_LISTENERS,
        { local: '127.0.0.1:7000', st: '0A', inode: 210 },
        { local: '127.0.0.1:7001', st: '0A', inode: 211 },
      ],
      addresses4: ['10.244.0.3'],
    });
    fake.namespace(NS_A, { tcp: [{ local: '127.0.0.1:8080', st: '0A', inode: 100 }], addresses4: ['10.244.0.2'] });
    fake.process({ pid: 50, netns: NS_B, comm: 'newcomer', fds: { 3: 210 } });
    fake.process({ pid: 11, netns: NS_B, comm: 'reused', startTime: 99999, fds: { 4: 211 } });
    fake.refreshTables(NS_B, [20, 50, 11]).refreshTables(NS_A, [10, 12]);
    fake.remove(20, 'fd/5').remove(20, 'fd/6');
    await t.refresh();
    const all = t.list();
    expect(byInode(all, 210)).toMatchObject({ pid: 50, comm: 'newcomer', netns: NS_B });
    expect(byInode(all, 211)).toMatchObject({ pid: 11, comm: 'reused', netns: NS_B, fd: 4 });
    expect(all.find((s) => s.inode === 101)).toBeUndefined();
    expect(all.find((s) => s.inode === 202)).toBeUndefined();
  });

  it('drops a socket closed by a long-lived process at the next full pass', async () => {
    const t = table();
    await t.whenScanned();
    // pid 20 closes its connection 202: no process starts or exits, so no namespace changes membership
    fake.namespace(NS_B, {
      tcp: [
        ...B_LISTENERS,
      ],
      udp: [{ local: '10.244.0.3:45000', remote: '10.244.0.9:53', st: '01', inode: 203 }],
      addresses4: ['10.244.0.3'],
    });
    fake.refreshTables(NS_B, [20]).remove(20, 'fd/5');
    await t.refresh();
    expect(t.list().some((s) => s.inode === 202)).toBe(true); // incremental refreshes read changed namespaces only
    await t.refresh(true);
    expect(t.list().some((s) => s.inode === 202)).toBe(false);
    expect(t.list({ netns: NS_B })).toHaveLength(3);
  });

  it('resolves an unknown flow by reading only the namespaces that can own it', async () => {
    const t = table();
    await t.whenScanned();
    const known = await t.lookup({ proto: 'tcp', local: { ip: '10.244.0.2', port: 40000 }, remote: { ip: '10.244.0.3', port: 9090 } });
    expect(known.source).toBe('table');
    expect(known.local.map((s) => s.pid)).toEqual([11]);
    expect(known.peer.map((s) => s.pid)).toEqual([20]);

    // an existing process opens a new connection: no pid changes, so only a lookup can find it soon
    fake.namespace(NS_B, {
      tcp: [
        ...B_LISTENERS,
        { local: '10.244.0.3:9090', remote: '10.244.0.2:40000', st: '01', inode: 202 },
        { local: '10.244.0.3:9090', remote: '10.244.0.2:40002', st: '01', inode: 220 },
      ],
      addresses4: ['10.244.0.3'],
    });
    fake.refreshTables(NS_B, [20]);
    fake.process({ pid: 20, netns: NS_B, comm: 'api', cgroup: cgroupB, fds: { 3: 200, 4: 201, 5: 202, 6: 203, 8: 220 } });
    const fresh = await t.lookup({ proto: 'tcp', local: { ip: '10.244.0.3', port: 9090 }, remote: { ip: '10.244.0.2', port: 40002 } });
    expect(fresh.source).toBe('rescan');
    expect(fresh.namespacesRead).toBe(2); // the owner of each address, not every namespace
    expect(fresh.local).toHaveLength(1);
    expect(fresh.local[0]).toMatchObject({ pid: 20, fd: 8, role: 'server', pod: { uid: UID_B } });

    const none = await t.lookup({ proto: 'tcp', local: { ip: '10.244.0.3', port: 1 }, remote: { ip: '10.244.0.2', port: 2 } });
    expect(none.source).toBe('none');
  });

  it('does not walk a namespace again for sockets nobody can be found to hold', async () => {
    // inode 777 sits in NS_A's table but no readable process holds it (kernel-held, or in flight)
    fake.namespace(NS_A, { tcp: [{ local: '127.0.0.1:8080', st: '0A', inode: 100 }, { local: '127.0.0.1:7777', st: '0A', inode: 777 }] });
    fake.refreshTables(NS_A, [10, 11, 12]);
    const walked: number[] = [];
    class CountingReader extends ProcfsReader {
      override *walkSocketFds(pid: number, onSocket: (fd: number, inode: number) => void) {
        walked.push(pid);
        return yield* super.walkSocketFds(pid, onSocket);
      }
    }
    const t = new ConnectionTable({ reader: new CountingReader(fake.root), netnsDir: `${fake.root}/none`, sliceMs: 1 });
    tables.push(t);
    await t.whenScanned();
    expect(byInode(t.list(), 777)).toMatchObject({ pid: null });
    walked.length = 0;
    fake.process({ pid: 13, netns: NS_A, comm: 'newcomer' }); // NS_A changes membership
    await t.refresh();
    expect(walked).toEqual([13]);
    await t.lookup({ proto: 'tcp', local: { ip: '127.0.0.1', port: 7777 }, remote: { ip: '0.0.0.0', port: 0 } });
    expect(walked).toEqual([13]);
  });

  it('answers a burst of lookups with one pass', async () => {
    const t = table();
    await t.whenScanned();
    const queries = Array.from({ length: 20 }, (_, i) => ({ proto: 'tcp' as const, local: { ip: '10.244.0.3', port: 30000 + i }, remote: { ip: '10.244.0.2', port: 1 } }));
    const results = await Promise.all(queries.map((q) => t.lookup(q)));
    expect(results.every((r) => r.source === 'none' && r.namespacesRead === 2)).toBe(true);
    expect(t.status().lookups).toBe(1);
  });

  it('serves what it knows while the first scan runs, and reports progress', async () => {
    const t = table();
    const first = t.whenScanned();
    expect(['starting', 'scanning']).toContain(t.status().phase);
    await first;
    const status = t.status();
    expect(status).toMatchObject({ phase: 'idle', fullScans: 1, table: { sockets: 10, namespaces: 2, processes: 4 } });
    expect(status.lastFullScan!.counters).toMatchObject({ pids: 4, namespaces: 2, processes: 4, sockets: 10, vanishedPids: 0 });
  });

  it('gives the same table for the same procfs', async () => {
    const a = table();
    const b = table();
    await a.whenScanned();
    await b.whenScanned();
    expect(JSON.stringify(b.list())).toBe(JSON.stringify(a.list()));
  });
});
