/**
 * `podsniff scan` end to end on a simulated node (root): pods in their own network namespaces on a
 * bridge, processes in kubepods cgroups of every layout, holding listening, cross-pod, loopback, UDP and
 * IPv6 sockets. Every socket must come out attributed to the right pid, fd, namespace, container, pod
 * and role.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributedSocket } from '../../src/model/index.js';
import { SimNode, type Holder } from '../support/simnode.js';
import { expectAttributed, expectedSockets, findRecord, netnsInode } from '../helpers/expectations.js';
import { CLI, jsonLines, runCli } from '../helpers/run-cli.js';

const PODS = 5;

describe.skipIf(!SimNode.isRoot())('podsniff scan on a simulated node', () => {
  let node: SimNode;
  const holders: Holder[] = [];

  beforeAll(async () => {
    node = await SimNode.create({ pods: PODS, ipv6: true, name: 'scan-command' });
    // Servers first: every pod owns 127.0.0.1:8080, a pod-IP service on 9000 (v4) and 9100 (v6), DNS-like UDP.
    for (let i = 0; i < PODS; i++) {
      holders.push(
        await node.spawn(i, {
          listen: [{ ip: '127.0.0.1', port: 8080 }, { ip: '0.0.0.0', port: 9000 }, { ip: '::', port: 9100, family: 6 }],
          udpBind: [{ ip: '0.0.0.0', port: 5353 }],
        }),
      );
    }
    // Clients: cross-pod (v4 and v6), intra-pod loopback to 8080, loopback pairs, connected UDP.
    for (let i = 0; i < PODS; i++) {
      const next = node.pod((i + 1) % PODS);
      holders.push(
        await node.spawn(i, {
          connect: [
            { ip: next.ip4, port: 9000, count: 2 },
            { ip: next.ip6!, port: 9100, family: 6 },
            { ip: '127.0.0.1', port: 8080 },
          ],
          udpConnect: [{ ip: next.ip4, port: 5353 }],
          loopbackPairs: 3,
        }),
      );
    }
    // A second container in pod 0, and a forked process sharing its sockets in pod 1.
    holders.push(await node.spawn(0, { listen: [{ ip: '0.0.0.0', port: 7000 }] }));
    holders.push(await node.spawn(1, { listen: [{ ip: '0.0.0.0', port: 7001 }], forkChild: true }));
  }, 120_000);

  afterAll(async () => {
    await node?.destroy();
  });

  it('attributes every socket of every pod', async () => {
    const expected = await expectedSockets(holders);
    expect(expected.length).toBeGreaterThan(PODS * 15);
    const result = await runCli(['scan', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines<AttributedSocket>(result.stdout);
    for (const e of expected) expectAttributed(findRecord(records, e), e);
    expect(result.stderr).toMatch(/podsniff scan: \d+ sockets shown, \d+ in \d+ namespaces/);
  });

  it('never confuses two pods that own the same address', async () => {
    const records = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--tcp', '--listening'])).stdout);
    // only this node's namespaces: other simulated nodes may exist on the host at the same time
    const ours = new Set(Array.from({ length: PODS }, (_, i) => netnsInode(node.pod(i).netns)));
    const owners = records.filter((r) => ours.has(r.netns) && r.local.ip === '127.0.0.1' && r.local.port === 8080 && r.state === 'LISTEN');
    const servers = holders.slice(0, PODS);
    expect(owners).toHaveLength(PODS);
    for (let i = 0; i < PODS; i++) {
      const record = owners.find((r) => r.netns === netnsInode(node.pod(i).netns));
      expect(record).toMatchObject({ pid: servers[i]!.pid, pod: { uid: node.pod(i).uid }, container: { id: servers[i]!.containerId } });
    }
  });

  it('lists a forked socket once, with the other holder in sharedWith', async () => {
    const forked = holders.at(-1)!;
    const records = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--tcp', '--listening'])).stdout);
    const listener = records.filter((r) => r.local.port === 7001 && r.netns === netnsInode(node.pod(1).netns));
    expect(listener).toHaveLength(1);
    expect([listener[0]!.pid, ...listener[0]!.sharedWith].sort()).toEqual([forked.pid, forked.childPid].sort());
  });

  it('filters by namespace (name or inode), pod, container, pid and state', async () => {
    const pod = node.pod(3);
    const server = holders[3]!;
    const byName = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--netns', pod.netns])).stdout);
    const byInode = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--netns', String(netnsInode(pod.netns))])).stdout);
    expect(byName.length).toBeGreaterThan(10);
    expect(byInode).toEqual(byName);
    expect(byName.every((r) => r.netnsName === pod.netns)).toBe(true);
    const byPod = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--pod', pod.uid])).stdout);
    expect(byPod.length).toBeGreaterThan(0);
    expect(byPod.every((r) => r.pod?.uid === pod.uid)).toBe(true);
    const byContainer = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--container', server.containerId!.slice(0, 12)])).stdout);
    expect(byContainer.every((r) => r.pid === server.pid)).toBe(true);
    const byPid = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--pid', String(server.pid), '--state', 'LISTEN'])).stdout);
    expect(byPid.map((r) => r.local.port).sort()).toEqual([8080, 9000, 9100]);
  });

  it('filters by protocol and state, and prints an aligned table', async () => {
    const udp = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--udp'])).stdout);
    expect(udp.length).toBeGreaterThan(0);
    expect(udp.every((r) => r.proto === 'udp')).toBe(true);
    const listening = jsonLines<AttributedSocket>((await runCli(['scan', '--json', '--listening'])).stdout);
    expect(listening.every((r) => r.state === 'LISTEN' || r.state === 'UNCONN')).toBe(true);
    const table = await runCli(['scan']);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NETNS\s+PROTO\s+STATE\s+LOCAL\s+REMOTE\s+ROLE\s+PID\s+FD\s+COMM\s+CONTAINER\s+POD$/);
    const podColumn = lines[0]!.indexOf('POD');
    const withPod = lines.filter((l) => l.includes(node.pod(2).uid));
    expect(withPod.length).toBeGreaterThan(0);
    for (const line of withPod) expect(line.indexOf(node.pod(2).uid)).toBe(podColumn);
  });
});

/** True when the unprivileged user `nobody` can run the CLI from this checkout (parent folders may be 0700). */
function nobodyCanRun(): boolean {
  if (!SimNode.isRoot()) return false;
  return spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', CLI]).status === 0;
}

describe.skipIf(!nobodyCanRun())('podsniff scan without root', () => {
  it('lists what it can and says which permission is missing', () => {
    const result = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, CLI, 'scan', '--json'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const records = jsonLines<AttributedSocket>(result.stdout);
    // its own namespace's table is readable; other processes' fds are not, so nothing is wrongly owned
    expect(records.every((r) => r.pid === null || r.uid === 65534)).toBe(true);
    expect(result.stderr).toMatch(/\d+ pids not readable \(run as root to attribute their sockets\)/);
  });
});

describe('podsniff scan errors', () => {
  it('rejects an unreadable procfs with one line and exit 2', async () => {
    const result = await runCli(['scan', '--procfs', '/nonexistent/proc']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cannot read procfs at \/nonexistent\/proc \(ENOENT\); pass --procfs/);
  });

  it('rejects unknown flags with exit 2', async () => {
    const result = await runCli(['scan', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('has help', async () => {
    const result = await runCli(['scan', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--procfs <dir>/);
  });
});
