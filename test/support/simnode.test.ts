// Tests of the simulated-node harness itself (root only): real namespaces, sockets, cgroups, cleanup.
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CGROUP_STYLES, containerCgroup, readProcCgroup } from './cgroups.js';
import type { PidRec } from './proc.js';
import { isAlive, procStartTime } from './proc.js';
import type { Holder, SocketInfo } from './simnode.js';
import { SimNode, cleanupStaleRuns } from './simnode.js';

function rec(pid: number): PidRec {
  const start = procStartTime(pid);
  expect(start).not.toBeNull();
  return { pid, start: start! };
}

function netnsOf(pid: number | 'self'): string {
  return readlinkSync(`/proc/${pid}/ns/net`);
}

function ofKind(sockets: SocketInfo[], kind: SocketInfo['kind']): SocketInfo[] {
  return sockets.filter((s) => s.kind === kind);
}

function cgroupRoots(run: string): string[] {
  return ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd'].map((m) => `${m}/podsniff-test-${run}`).concat(`/sys/fs/cgroup/cpu/podsniff-test-${run}-q`);
}

/** Asserts nothing of run `run` is left: namespaces, cgroup roots, registry file, processes. */
function expectAllGone(run: string, netns: string[], pids: PidRec[], registryFile: string): void {
  for (const ns of netns) expect(existsSync(`/run/netns/${ns}`), ns).toBe(false);
  for (const d of cgroupRoots(run)) expect(existsSync(d), d).toBe(false);
  for (const p of pids) expect(isAlive(p), `pid ${p.pid}`).toBe(false);
  expect(existsSync(registryFile)).toBe(false);
}

describe('containerCgroup layouts', () => {
  const uid = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
  const id = 'ab'.repeat(32);
  it.each([
    ['systemd-v2', '/sys/fs/cgroup/unified', `/r/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f1e2d3c_4b5a_4978_8695_a4b3c2d1e0f9.slice/cri-containerd-${id}.scope`],
    ['systemd-v1', '/sys/fs/cgroup/systemd', `/r/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_4b5a_4978_8695_a4b3c2d1e0f9.slice/crio-${id}.scope`],
    ['cgroupfs-v1', '/sys/fs/cgroup/systemd', `/r/kubepods/besteffort/pod${uid}/${id}`],
    ['cgroupfs-v2', '/sys/fs/cgroup/unified', `/r/kubepods/pod${uid}/${id}`],
    ['docker-v2', '/sys/fs/cgroup/unified', `/r/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_4978_8695_a4b3c2d1e0f9.slice/docker-${id}.scope`],
  ] as const)('%s', (style, mount, path) => {
    const cg = containerCgroup(style, 'r', uid, id);
    expect(cg).toEqual({ style, mount, path, dir: mount + path, controllers: mount.endsWith('unified') ? '' : 'name=systemd' });
  });
});

describe.skipIf(!SimNode.isRoot())('SimNode (root)', () => {
  let node: SimNode;
  let server: Holder;
  let client: Holder;
  let misc: Holder;
  const started: PidRec[] = [];

  beforeAll(async () => {
    node = await SimNode.create({ pods: 3, ipv6: true, name: 'simnode.test' });
  });
  afterAll(async () => {
    await node?.destroy();
  });

  it('lays out pods with distinct namespaces, addresses, uids and rotating cgroup styles', () => {
    expect(node.run).toMatch(/^[0-9a-f]{4}$/);
    const pods = [0, 1, 2].map((i) => node.pod(i));
    expect(pods.map((p) => p.netns)).toEqual([0, 1, 2].map((i) => `ps${node.run}p${i}`));
    expect(pods.map((p) => p.ip4)).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.4']);
    expect(pods.map((p) => p.ip6)).toEqual(['fd00:244::2', 'fd00:244::3', 'fd00:244::4']);
    expect(pods.map((p) => p.cgroupStyle)).toEqual(CGROUP_STYLES.slice(0, 3));
    for (const p of pods) expect(p.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(pods.map((p) => p.uid)).size).toBe(3);
    expect(() => node.pod(3)).toThrow(RangeError);
    for (const ns of [node.nodeNetns, ...pods.map((p) => p.netns)]) expect(existsSync(`/run/netns/${ns}`)).toBe(true);
  });

  it('connects a client in pod 1 to a listener in pod 0 over IPv4 and IPv6', async () => {
    const p0 = node.pod(0);
    const p1 = node.pod(1);
    server = await node.spawn(0, { listen: [{ ip: '0.0.0.0', port: 8080 }, { ip: '::', port: 8080, family: 6 }] });
    client = await node.spawn(1, { connect: [{ ip: p0.ip4, port: 8080 }, { ip: p0.ip6!, port: 8080, family: 6 }] });
    started.push(rec(server.pid), rec(client.pid));

    expect(server.initial.pid).toBe(server.pid);
    expect(ofKind(server.initial.sockets, 'listen').map((s) => [s.family, s.local])).toEqual([
      [4, { ip: '0.0.0.0', port: 8080 }],
      [6, { ip: '::', port: 8080 }],
    ]);
    const conns = ofKind(client.initial.sockets, 'connected');
    expect(conns).toHaveLength(2);
    expect(conns.map((c) => c.remote)).toEqual([
      { ip: p0.ip4, port: 8080 },
      { ip: p0.ip6, port: 8080 },
    ]);
    expect(conns.map((c) => c.local.ip)).toEqual([p1.ip4, p1.ip6]);

    const accepted = ofKind((await server.report()).sockets, 'accepted');
    expect(accepted).toHaveLength(2);
    for (const c of conns) {
      const a = accepted.find((s) => s.remote.ip === c.local.ip && s.remote.port === c.local.port);
      expect(a, JSON.stringify(c)).toBeDefined();
      expect(a!.local).toEqual(c.remote);
      expect(a!.family).toBe(c.family);
    }

    const more = await client.connect({ connect: [{ ip: p0.ip4, port: 8080, count: 2 }] });
    expect(ofKind(more.sockets, 'connected')).toHaveLength(4);
    expect(ofKind((await server.report()).sockets, 'accepted')).toHaveLength(4);
    await expect(client.connect({ connect: [{ ip: p0.ip4, port: 1 }] })).rejects.toThrow(/refused/i);
    expect((await client.report()).sockets).toHaveLength(4); // a failed connect leaves the holder serving
  });

  it('holds loopback pairs, UDP sockets and a forked child sharing them', async () => {
    const p0 = node.pod(0);
    misc = await node.spawn(2, {
      loopbackPairs: 5,
      udpBind: [{ ip: '0.0.0.0', port: 0 }, { ip: '::', port: 5353, family: 6 }],
      udpConnect: [
        { ip: p0.ip4, port: 9999 },
        { ip: p0.ip6!, port: 9999, family: 6, localPort: 40000 },
      ],
      forkChild: true,
    });
    started.push(rec(misc.pid));
    const s = misc.initial.sockets;
    const [lst, ...extra] = ofKind(s, 'listen');
    expect(extra).toHaveLength(0);
    expect(lst!.local.ip).toBe('127.0.0.1');
    const clients = ofKind(s, 'connected');
    const accepted = ofKind(s, 'accepted');
    expect(clients).toHaveLength(5);
    expect(accepted).toHaveLength(5);
    for (const c of clients) {
      expect(c.remote).toEqual(lst!.local);
      expect(accepted.some((a) => a.remote.port === c.local.port && a.local.port === lst!.local.port)).toBe(true);
    }
    expect(ofKind(s, 'udp-bound').map((u) => [u.proto, u.family, u.remote])).toEqual([
      ['udp', 4, { ip: '0.0.0.0', port: 0 }],
      ['udp', 6, { ip: '::', port: 0 }],
    ]);
    expect(ofKind(s, 'udp-bound')[1]!.local).toEqual({ ip: '::', port: 5353 });
    const uc = ofKind(s, 'udp-connected');
    expect(uc.map((u) => u.remote)).toEqual([
      { ip: p0.ip4, port: 9999 },
      { ip: p0.ip6, port: 9999 },
    ]);
    expect(uc[1]!.local).toEqual({ ip: node.pod(2).ip6, port: 40000 });

    expect(misc.childPid).toBeTypeOf('number');
    expect(misc.initial.childPid).toBe(misc.childPid);
    const child = rec(misc.childPid!);
    started.push(child);
    // The child holds the very same socket objects (same inode behind each fd).
    for (const sock of s) expect(readlinkSync(`/proc/${child.pid}/fd/${sock.fd}`)).toBe(readlinkSync(`/proc/${misc.pid}/fd/${sock.fd}`));
    expect(readProcCgroup(child.pid)).toEqual(readProcCgroup(misc.pid));
  });

  it('puts each holder in its container cgroup', () => {
    for (const h of [server, client, misc]) {
      const cg = h.cgroup!;
      expect(cg.path).toContain(`/podsniff-test-${node.run}/`);
      expect(cg.path).toContain(h.containerId!);
      expect(readProcCgroup(h.pid).get(cg.controllers)).toBe(cg.path);
      expect(existsSync(cg.dir)).toBe(true);
    }
    expect(server.cgroup!.path).toMatch(/\/kubepods-burstable-pod[0-9a-f_]{36}\.slice\/cri-containerd-[0-9a-f]{64}\.scope$/);
    expect(client.cgroup!.path).toMatch(/\/kubepods-besteffort-pod[0-9a-f_]{36}\.slice\/crio-[0-9a-f]{64}\.scope$/);
    expect(misc.cgroup!.path).toMatch(/\/kubepods\/besteffort\/pod[0-9a-f-]{36}\/[0-9a-f]{64}$/);
  });

  it('runs each pod in its own network namespace (inode of /run/netns/<name>)', () => {
    const seen = new Set<string>();
    for (const h of [server, client, misc]) {
      const link = netnsOf(h.pid);
      expect(link).toBe(`net:[${statSync(`/run/netns/${h.netns}`).ino}]`);
      seen.add(link);
    }
    expect(seen.size).toBe(3);
    expect(seen.has(netnsOf('self'))).toBe(false);
  });

  it('spawns in the host namespace, raw commands in pods, and same-container holders', async () => {
    const root = await node.spawnInRoot({ loopbackPairs: 1 });
    started.push(rec(root.pid));
    expect(netnsOf(root.pid)).toBe(netnsOf('self'));
    expect(readProcCgroup(root.pid)).toEqual(readProcCgroup(process.pid));
    expect(root.containerId).toBeNull();
    expect(root.initial.sockets).toHaveLength(3);
    await root.stop();
    expect(isAlive(started.at(-1)!)).toBe(false);

    const raw = await node.spawnRaw(1, ['sleep', '60']);
    const rawRec = rec(raw.pid);
    expect(netnsOf(raw.pid)).toBe(netnsOf(client.pid));
    expect(readProcCgroup(raw.pid).get('name=systemd')).toBe(node.cgroupFor(1, raw.containerId).path);
    await raw.stop();
    expect(isAlive(rawRec)).toBe(false);

    const second = await node.spawn(0, { udpBind: [{ ip: '127.0.0.1' }] }, { container: server.containerId! });
    started.push(rec(second.pid));
    expect(second.cgroup).toEqual(server.cgroup);
    expect(readProcCgroup(second.pid).get('')).toBe(server.cgroup!.path);
  });

  it('applies CPU quotas by moving a pid and by spawning inside the quota cgroup', async () => {
    await node.moveToCpuQuota(client.pid, 20_000);
    expect(readProcCgroup(client.pid).get('cpu')).toBe(`/podsniff-test-${node.run}-q`);
    expect(readFileSync(`${node.quotaCgroupDir}/cpu.cfs_quota_us`, 'utf8').trim()).toBe('20000');
    expect(readFileSync(`${node.quotaCgroupDir}/cpu.cfs_period_us`, 'utf8').trim()).toBe('100000');

    const child = node.spawnThrottled(['sh', '-c', 'cat /proc/self/cgroup; exec sleep 60'], { PATH: '/usr/bin:/bin' }, 50_000, { periodUs: 50_000 });
    started.push(rec(child.pid!));
    const out = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout!.on('data', (b: Buffer) => {
        text += b.toString();
        if (text.includes('\n0::')) resolve(text);
      });
    });
    expect(out).toMatch(new RegExp(`^\\d+:cpu:/podsniff-test-${node.run}-q$`, 'm'));
    expect(readFileSync(`${node.quotaCgroupDir}/cpu.cfs_period_us`, 'utf8').trim()).toBe('50000');
  });

  it('covers every cgroup style on a 5-pod node', async () => {
    const five = await SimNode.create({ pods: 5 });
    try {
      const hs = await five.spawnMany([0, 1, 2, 3, 4].map((pod) => ({ pod, spec: { loopbackPairs: 2 } })));
      expect(hs.map((h) => h.cgroup!.style)).toEqual([...CGROUP_STYLES]);
      for (const h of hs) expect(readProcCgroup(h.pid).get(h.cgroup!.controllers)).toBe(h.cgroup!.path);
    } finally {
      await five.destroy();
    }
  });

  it('destroy() removes namespaces, cgroups and processes, and is idempotent', async () => {
    const netns = [node.nodeNetns, ...[0, 1, 2].map((i) => node.pod(i).netns)];
    expect(started.filter(isAlive)).toHaveLength(started.length - 1); // all but the stopped root holder
    await node.destroy();
    expectAllGone(node.run, netns, started, node.registryFile);
    await expect(node.destroy()).resolves.toBeUndefined();
    await expect(node.spawn(0, {})).rejects.toThrow(/destroyed/);
  });
});

describe.skipIf(!SimNode.isRoot())('cleanupStaleRuns (root)', () => {
  it('leaves runs of live owners alone by default and removes a named "crashed" run exactly', async () => {
    const crashed = await SimNode.create({ pods: 2, ipv6: true, name: 'crashed' });
    const bystander = await SimNode.create({ pods: 1, name: 'bystander', cleanupStale: false });
    try {
      const hs = [
        await crashed.spawn(0, { listen: [{ ip: '0.0.0.0', port: 80 }], forkChild: true }),
        await crashed.spawn(1, { connect: [{ ip: crashed.pod(0).ip4, port: 80 }] }),
      ];
      const pids = hs.map((h) => rec(h.pid)).concat(rec(hs[0]!.childPid!));
      const netns = [crashed.nodeNetns, crashed.pod(0).netns, crashed.pod(1).netns];
      await crashed.moveToCpuQuota(hs[1]!.pid, 30_000);

      // Owner (this process) is alive: the default sweep must not touch either run.
      const sweep = await cleanupStaleRuns();
      expect(sweep.skipped).toEqual(expect.arrayContaining([crashed.run, bystander.run]));
      expect(pids.every(isAlive)).toBe(true);

      // Simulate the crash: clean the run from its file alone, without calling destroy().
      const res = await cleanupStaleRuns({ runs: [crashed.run] });
      expect(res).toEqual({ cleaned: [crashed.run], skipped: [], errors: [] });
      expectAllGone(crashed.run, netns, pids, crashed.registryFile);

      // The other run is untouched.
      expect(existsSync(`/run/netns/${bystander.nodeNetns}`)).toBe(true);
      expect(existsSync(bystander.registryFile)).toBe(true);
      const b = await bystander.spawn(0, { loopbackPairs: 1 });
      expect(isAlive(rec(b.pid))).toBe(true);
    } finally {
      await crashed.destroy(); // nothing left: must be a quiet no-op
      await bystander.destroy();
    }
    expect(existsSync(bystander.registryFile)).toBe(false);
  });
});
