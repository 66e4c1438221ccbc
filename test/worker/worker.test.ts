/**
 * `podsniff worker --no-capture` end to end on a simulated node (root): health and readiness, metrics,
 * status, the connection table and its filters, sockets opened while it runs (found by refresh and by
 * lookup), errors as JSON, and SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributedSocket, FlowLookupResult } from '../../src/model/index.js';
import { SimNode, type Holder } from '../support/simnode.js';
import { expectAttributed, expectedSockets, findRecord, netnsInode } from '../helpers/expectations.js';
import { HANG_GUARD_MS, freePort, getJson, waitFor } from '../helpers/http.js';
import { runCli, startCli, terminate } from '../helpers/run-cli.js';

describe.skipIf(!SimNode.isRoot())('podsniff worker on a simulated node', () => {
  let node: SimNode;
  let worker: ChildProcess;
  let base: string;
  let stderr = '';
  const holders: Holder[] = [];

  const connections = async (query = ''): Promise<AttributedSocket[]> =>
    (await getJson<{ items: AttributedSocket[] }>(`${base}/api/v1/connections${query}`)).body.items;

  beforeAll(async () => {
    node = await SimNode.create({ pods: 3, ipv6: true, name: 'worker' });
    for (let i = 0; i < 3; i++) holders.push(await node.spawn(i, { listen: [{ ip: '0.0.0.0', port: 8080 }, { ip: '::', port: 8443, family: 6 }] }));
    holders.push(await node.spawn(0, { connect: [{ ip: node.pod(1).ip4, port: 8080 }, { ip: node.pod(2).ip6!, port: 8443, family: 6 }] }));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = startCli(['worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port), '--refresh-interval', '300ms', '--full-interval', '1m', '--log-level', 'debug']);
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitFor(async () => ((await getJson(`${base}/readyz`)).status === 200 ? true : undefined), HANG_GUARD_MS);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await node?.destroy();
  });

  it('answers health and readiness at once, without waiting for the scan', async () => {
    const health = await getJson(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(health.body.eventLoopDelayMs.p99).toBeTypeOf('number');
    expect((await getJson(`${base}/readyz`)).status).toBe(200);
  });

  it('finishes its first scan and reports it in status', async () => {
    const status = await waitFor(async () => {
      const s = (await getJson(`${base}/api/v1/status`)).body;
      return s.phase === 'idle' ? s : undefined;
    }, HANG_GUARD_MS);
    expect(status.fullScans).toBeGreaterThanOrEqual(1);
    expect(status.lastFullScan.durationMs).toBeGreaterThan(0);
    expect(status.table.namespaces).toBeGreaterThanOrEqual(4);
    expect(status.lastFullScan.counters.errors).toEqual({});
  });

  it('serves every socket attributed, and filters', async () => {
    const records = await connections();
    for (const e of await expectedSockets(holders)) expectAttributed(findRecord(records, e), e);
    const pod1 = node.pod(1);
    const byPod = await connections(`?pod=${pod1.uid}`);
    expect(byPod.length).toBeGreaterThanOrEqual(2);
    expect(byPod.every((r) => r.pod?.uid === pod1.uid)).toBe(true);
    const byNetns = await connections(`?netns=${netnsInode(pod1.netns)}&listening=1`);
    expect(byNetns.map((r) => r.local.port).sort()).toEqual([8080, 8443]);
    const byPid = await connections(`?pid=${holders[3]!.pid}&proto=tcp`);
    expect(byPid).toHaveLength(2);
    const byContainer = await connections(`?container=${holders[2]!.containerId!.slice(0, 12)}`);
    expect(byContainer.every((r) => r.pid === holders[2]!.pid)).toBe(true);
    expect((await getJson(`${base}/api/v1/connections?pid=abc`)).status).toBe(400);
  });

  it('picks up a process started after the scan', async () => {
    const late = await node.spawn(2, { listen: [{ ip: '0.0.0.0', port: 9999 }] });
    const record = await waitFor(async () => (await connections(`?pid=${late.pid}`))[0], HANG_GUARD_MS);
    expect(record).toMatchObject({ local: { port: 9999 }, state: 'LISTEN', pod: { uid: node.pod(2).uid }, container: { id: late.containerId } });
  });

  it('resolves a new connection of an existing process by lookup', async () => {
    const client = holders[3]!;
    const report = await client.connect({ connect: [{ ip: node.pod(2).ip4, port: 8080 }] });
    const fresh = report.sockets.find((s) => s.kind === 'connected' && s.remote.port === 8080 && s.remote.ip === node.pod(2).ip4)!;
    const query = `proto=tcp&local=${fresh.local.ip}:${fresh.local.port}&remote=${fresh.remote.ip}:${fresh.remote.port}`;
    const { status, body } = await getJson<FlowLookupResult>(`${base}/api/v1/connections/lookup?${query}`, HANG_GUARD_MS);
    expect(status).toBe(200);
    expect(body.source).toBe('rescan');
    expect(body.local).toHaveLength(1);
    expect(body.local[0]).toMatchObject({ pid: client.pid, fd: fresh.fd, role: 'client', pod: { uid: node.pod(0).uid } });
    // the server side lives on this node too: the lookup returns it as the peer
    expect(body.peer[0]).toMatchObject({ pid: holders[2]!.pid, role: 'server', pod: { uid: node.pod(2).uid } });
  });

  it('answers bad and unknown requests with JSON errors', async () => {
    const bad = await getJson(`${base}/api/v1/connections/lookup?proto=tcp&local=nonsense&remote=1.2.3.4:5`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'E_BAD_ADDRESS' });
    expect(bad.body.error.message).toMatch(/expected IP:PORT/);
    const missing = await getJson(`${base}/api/v1/connections/lookup?proto=sctp&local=1.2.3.4:5&remote=1.2.3.4:6`);
    expect(missing.status).toBe(400);
    const unknown = await getJson(`${base}/nope`);
    expect(unknown.status).toBe(404);
    const notFound = await getJson(`${base}/api/v1/connections/lookup?proto=tcp&local=${node.pod(1).ip4}:1&remote=${node.pod(2).ip4}:2`);
    expect(notFound.status).toBe(404);
    expect(notFound.body.source).toBe('none');
  });

  it('exports Prometheus metrics', async () => {
    const { status, body } = await getJson<string>(`${base}/metrics`);
    expect(status).toBe(200);
    for (const name of ['podsniff_scan_duration_seconds_bucket', 'podsniff_sockets', 'podsniff_namespaces', 'podsniff_processes', 'podsniff_scan_vanished_pids_total', 'podsniff_scan_errors_total', 'podsniff_event_loop_delay_p99_seconds', 'podsniff_nodejs_eventloop_lag_p99_seconds']) {
      expect(body, name).toContain(name);
    }
    const sockets = Number(/^podsniff_sockets (\d+)$/m.exec(body)?.[1]);
    expect(sockets).toBeGreaterThan(5);
  });

  it('logs JSON lines and never logs churn above debug', () => {
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 40);
    expect(warnings).toEqual([]);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const stopped = await terminate(worker, HANG_GUARD_MS);
    expect({ code: stopped.code, signal: stopped.signal, hung: stopped.hung }).toEqual({ code: 0, signal: null, hung: false });
  });
});

describe('podsniff worker errors', () => {
  it('rejects bad flags with one line and exit 2', async () => {
    const result = await runCli(['worker', '--no-capture', '--port', 'seventy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/expected a port from 0 to 65535, got "seventy"/);
  });

  it('rejects an unreadable procfs with exit 2', async () => {
    const result = await runCli(['worker', '--no-capture', '--procfs', '/nonexistent']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cannot read procfs at \/nonexistent/);
  });

  it('says when its port is taken', async () => {
    const port = await freePort();
    const first = startCli(['worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'silent']);
    try {
      await waitFor(async () => ((await getJson(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), HANG_GUARD_MS);
      const second = await runCli(['worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port)]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE; stop the other process or pass --port/);
    } finally {
      first.kill('SIGKILL');
    }
  });
});
