import { describe, expect, it } from 'vitest';
import { identityFromPath, parseCgroupFile } from '../../src/procfs/index.js';

const ID = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
const UID = '0c4f7ab2-4d3e-4b5a-9c8d-1e2f3a4b5c6d';
const UID_ = UID.replace(/-/g, '_');

describe('cgroup identity', () => {
  it.each([
    ['containerd, systemd driver', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope`, 'containerd'],
    ['CRI-O, systemd driver', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/crio-${ID}.scope`, 'cri-o'],
    ['Docker, systemd driver, guaranteed', `/kubepods.slice/kubepods-pod${UID_}.slice/docker-${ID}.scope`, 'docker'],
    ['cgroupfs driver (k3s)', `/kubepods/besteffort/pod${UID}/${ID}`, 'unknown'],
    ['cgroupfs driver, guaranteed', `/kubepods/pod${UID}/${ID}`, 'unknown'],
    ['nested under a test root', `/podsniff-test-1a2b/kubepods/burstable/pod${UID}/${ID}`, 'unknown'],
  ])('%s', (_name, path, runtime) => {
    expect(identityFromPath(path)).toEqual({ container: { id: ID, runtime }, pod: { uid: UID }, path });
  });

  it('knows a pod-level cgroup without a container (pause/sandbox slice)', () => {
    expect(identityFromPath(`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice`)).toMatchObject({ container: null, pod: { uid: UID } });
  });

  it('does not take conmon for a container', () => {
    expect(identityFromPath(`/kubepods.slice/kubepods-pod${UID_}.slice/crio-conmon-${ID}.scope`).container).toBeNull();
  });

  it('finds plain Docker containers outside Kubernetes', () => {
    expect(identityFromPath(`/docker/${ID}`)).toMatchObject({ container: { id: ID, runtime: 'docker' }, pod: null });
    expect(identityFromPath(`/system.slice/docker-${ID}.scope`)).toMatchObject({ container: { id: ID, runtime: 'docker' }, pod: null });
  });

  it('leaves host processes alone', () => {
    expect(identityFromPath('/user.slice/user-0.slice/session-1.scope')).toMatchObject({ container: null, pod: null });
  });

  it('reads a cgroup v2 file', () => {
    const text = `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope\n`;
    expect(parseCgroupFile(text)).toMatchObject({ container: { id: ID, runtime: 'containerd' }, pod: { uid: UID } });
  });

  it('reads a cgroup v1 (hybrid) file from the name=systemd line', () => {
    const text = [
      '12:memory:/',
      `9:name=systemd:/kubepods/burstable/pod${UID}/${ID}`,
      '1:cpu,cpuacct:/',
      '0::/',
      '',
    ].join('\n');
    expect(parseCgroupFile(text)).toMatchObject({ container: { id: ID }, pod: { uid: UID }, path: `/kubepods/burstable/pod${UID}/${ID}` });
  });

  it('returns no identity for a host process', () => {
    expect(parseCgroupFile('0::/init.scope\n')).toEqual({ container: null, pod: null, path: '/init.scope' });
    expect(parseCgroupFile('')).toEqual({ container: null, pod: null, path: null });
  });
});
