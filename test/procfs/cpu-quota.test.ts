/**
 * The CPU quota a process runs under: parsers of mountinfo, /proc/self/cgroup and cpu.max, and (root)
 * a real process placed in a cgroup v1 `cpu` quota of 0.25 CPU reads 0.25, while one outside reads none.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownCpuQuota, parseCgroupMounts, parseCpuMax, parseOwnCgroups } from '../../src/procfs/index.js';
import { SimNode } from '../support/simnode.js';

describe('parsers', () => {
  it('finds the v2 mount and the v1 mount carrying cpu', () => {
    const mountinfo = [
      '30 24 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate',
      '31 24 0:27 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct',
      '32 24 0:28 /kubepods /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
      '33 24 0:29 / /proc rw - proc proc rw',
    ].join('\n');
    expect(parseCgroupMounts(mountinfo)).toEqual({
      v2: { root: '/', point: '/sys/fs/cgroup/unified' },
      cpuV1: { root: '/kubepods', point: '/sys/fs/cgroup/cpu,cpuacct' },
    });
  });

  it("reads this process's cgroups", () => {
    expect(parseOwnCgroups('12:cpu,cpuacct:/kubepods/pod1/abc\n1:name=systemd:/x\n0::/kubepods/pod1/abc\n')).toEqual({ v2: '/kubepods/pod1/abc', cpuV1: '/kubepods/pod1/abc' });
    expect(parseOwnCgroups('0::/\n')).toEqual({ v2: '/', cpuV1: null });
  });

  it('reads cpu.max', () => {
    expect(parseCpuMax('max 100000\n')).toBeNull();
    expect(parseCpuMax('25000 100000\n')).toBe(0.25);
    expect(parseCpuMax('200000 100000')).toBe(2);
    expect(parseCpuMax('')).toBeNull();
  });
});

describe.skipIf(!SimNode.isRoot())('a real process', () => {
  let node: SimNode;
  beforeAll(async () => {
    node = await SimNode.create({ pods: 0, name: 'cpu-quota' });
  }, 60_000);
  afterAll(async () => {
    await node?.destroy();
  });

  const script = `import('${new URL('../../src/procfs/index.ts', import.meta.url).href}').then((m) => console.log(JSON.stringify(m.ownCpuQuota())))`;

  it('in a 0.25 CPU quota reads 0.25; outside any quota, none', async () => {
    const child = node.spawnThrottled([process.execPath, '--import', 'tsx', '-e', script], process.env, 25_000);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    await new Promise((resolve) => child.on('close', resolve));
    expect(JSON.parse(out)).toBe(0.25);
    const outside = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(outside)).toBe(ownCpuQuota());
  }, 60_000);
});
