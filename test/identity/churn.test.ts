/**
 * Churn (DESIGN.md rule 4): processes exiting and starting during a scan cause no error and no wrong
 * attribution. A simulated node with stable socket holders (the ground truth that must come out right
 * every time) and a churn driver (test/identity/churn-driver.ts) that keeps short-lived processes alive
 * in random pods. Meanwhile the node is scanned over and over, in-process (full scans, refreshes,
 * background passes) and by the CLI; every scan is checked (test/identity/churn-check.ts).
 *
 * The amount of work is bounded by conditions, not by a fixed count inside a fixed timeout: rounds go on
 * until at least MIN_ROUNDS are done and the churn was real (enough processes started, churn sockets seen
 * attributed), and then only while the time budget lasts, so a slow or busy machine does fewer extra
 * rounds instead of timing out. The test asserts on what was done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionTable } from '../../src/identity/index.js';
import type { AttributedSocket, StageLogger } from '../../src/model/index.js';
import { SimNode, type Holder } from '../support/simnode.js';
import { expectAttributed, expectedSockets, findRecord, netnsInode, type ExpectedSocket } from '../helpers/expectations.js';
import { waitFor } from '../helpers/http.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { ChurnDriver, MIN_ALIVE } from './churn-driver.js';
import { judgeChurn } from './churn-check.js';

const PODS = 8;
/** In-process rounds: a new table's first full scan, then refresh() and refresh(true) REFRESHES times each. */
const REFRESHES = 2;
const MIN_ROUNDS = 2;
const MAX_ROUNDS = 5;
/** Guard against a condition that never comes: no more rounds than this, whatever happens. */
const ROUND_CAP = 30;
const MIN_CLI_RUNS = 1;
const MAX_CLI_RUNS = 4;
/** Rounds and CLI runs beyond the minimum start only while the test has run less than this. */
const BUDGET_MS = 30_000;
/** The churn is real once this many churn processes have started. */
const MIN_CHURN_STARTED = 50;
/** Hang guards (not expectations of speed). */
const STEP_HANG_GUARD_MS = 180_000;
const TEST_HANG_GUARD_MS = 900_000;

/** What the in-process rounds did. */
interface RoundsDone {
  rounds: number;
  scans: number;
  passes: number;
  vanished: number;
}

describe.skipIf(!SimNode.isRoot())('churn during scans', () => {
  let node: SimNode;
  let churn: ChurnDriver | null = null;
  const holders: Holder[] = [];
  let expected: ExpectedSocket[] = [];
  let podNetns: number[] = [];
  /** Churn-port records that came out attributed (to their right owner), over all checked scans. */
  let churnAttributed = 0;

  beforeAll(async () => {
    node = await SimNode.create({ pods: PODS, ipv6: true, name: 'churn' });
    podNetns = Array.from({ length: PODS }, (_, i) => netnsInode(node.pod(i).netns));
    const servers = Array.from({ length: PODS }, (_, i) => ({
      pod: i,
      spec: { listen: [{ ip: '127.0.0.1', port: 8080 }, { ip: '0.0.0.0', port: 9000 }], udpBind: [{ ip: '0.0.0.0', port: 5353 }] },
    }));
    holders.push(...(await node.spawnMany(servers)));
    const clients = Array.from({ length: PODS }, (_, i) => {
      const next = node.pod((i + 1) % PODS);
      return {
        pod: i,
        spec: {
          connect: [{ ip: next.ip4, port: 9000, count: 2 }, { ip: '127.0.0.1', port: 8080 }],
          udpConnect: [{ ip: next.ip4, port: 5353 }],
          loopbackPairs: 2,
          forkChild: i === 0,
        },
      };
    });
    holders.push(...(await node.spawnMany(clients)));
    expected = await expectedSockets(holders);
  }, 180_000);

  afterAll(async () => {
    await churn?.stop();
    await node?.destroy();
  }, 60_000);

  /** Every stable socket attributed right, and nothing of the churn attributed wrongly. */
  async function check(records: AttributedSocket[], driver: ChurnDriver, what: string): Promise<void> {
    for (const e of expected) expectAttributed(findRecord(records, e), e);
    const verdict = await judgeChurn(records, driver, podNetns);
    churnAttributed += verdict.attributed;
    expect(verdict.violations, what).toEqual([]);
  }

  /** One in-process round: a new table's first full scan, then explicit refreshes, each checked. */
  async function round(n: number, driver: ChurnDriver, log: StageLogger, onPass: () => void): Promise<{ scans: number; vanished: number }> {
    // Background passes (a refresh 50 ms after each pass, a full one once 200 ms have gone by) interleave
    // with the explicit ones below.
    const t = new ConnectionTable({ sliceMs: 1, refreshIntervalMs: 50, fullIntervalMs: 200, log, onPass });
    try {
      await t.whenScanned();
      await check(structuredClone(t.list()), driver, `round ${n}: first full scan`);
      for (let i = 0; i < REFRESHES; i++) {
        await t.refresh();
        await check(structuredClone(t.list()), driver, `round ${n}: refresh ${i}`);
        await t.refresh(true);
        await check(structuredClone(t.list()), driver, `round ${n}: full refresh ${i}`);
      }
      const status = t.status();
      expect(status.phase).toBe('idle');
      expect(status.totals.errors).toEqual({});
      expect(status.lastFullScan!.counters.errors).toEqual({});
      return { scans: 1 + 2 * REFRESHES, vanished: status.totals.vanishedPids };
    } finally {
      t.stop();
    }
  }

  /** In-process rounds until the churn was real and MIN_ROUNDS are done, then while the budget lasts. */
  async function rounds(driver: ChurnDriver, log: StageLogger, withinBudget: () => boolean): Promise<RoundsDone> {
    const done: RoundsDone = { rounds: 0, scans: 0, passes: 0, vanished: 0 };
    const churnWasReal = (): boolean => driver.stats.started >= MIN_CHURN_STARTED && churnAttributed > 0;
    const more = (): boolean => done.rounds < MIN_ROUNDS || !churnWasReal() || (done.rounds < MAX_ROUNDS && withinBudget());
    while (done.rounds < ROUND_CAP && more()) {
      const r = await round(done.rounds, driver, log, () => done.passes++);
      done.scans += r.scans;
      done.vanished += r.vanished;
      done.rounds++;
    }
    return done;
  }

  /** `podsniff scan --json` MIN_CLI_RUNS times, more while the budget lasts; the vanished pids of each. */
  async function cliScans(driver: ChurnDriver, withinBudget: () => boolean): Promise<number[]> {
    const vanished: number[] = [];
    while (vanished.length < MAX_CLI_RUNS && (vanished.length < MIN_CLI_RUNS || withinBudget())) {
      const result = await runCli(['scan', '--json'], { timeoutMs: STEP_HANG_GUARD_MS });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      // Vanished pids are counted; refused reads may be (pid 1 of a sandbox); no other read error is allowed.
      const summary = /^podsniff scan: \d+ sockets shown, \d+ in \d+ namespaces, .+, \d+ ms, (\d+) vanished pids(, \d+ pids not readable \(run as root to attribute their sockets\))?$/.exec(lines[0]!);
      expect(summary, result.stderr).not.toBeNull();
      vanished.push(Number(summary![1]));
      await check(jsonLines<AttributedSocket>(result.stdout), driver, `CLI run ${vanished.length - 1}`);
    }
    return vanished;
  }

  it('scans in-process and by the CLI with no error and no wrong attribution', async () => {
    const started = Date.now();
    const withinBudget = (): boolean => Date.now() - started < BUDGET_MS;
    const driver = new ChurnDriver(node, podNetns);
    churn = driver;
    driver.start();
    // Scan only once churn processes come and go.
    await waitFor(() => Promise.resolve(driver.stats.exited >= MIN_ALIVE ? true : undefined), STEP_HANG_GUARD_MS, 10);

    const warnings: string[] = [];
    // Pids whose reads were refused. As root that is only a process with more capabilities than ours
    // (pid 1 of some sandboxes); never one of the node's processes.
    const deniedPids = new Set<number>();
    const log: StageLogger = {
      debug: (obj) => {
        const { pid, kind } = obj as { pid?: number; kind?: string };
        if (kind === 'denied' && pid !== undefined) deniedPids.add(pid);
      },
      info() {},
      warn: (obj, msg) => warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
    };
    const done = await rounds(driver, log, withinBudget);
    expect(warnings).toEqual([]);
    const ownPids = new Set([...holders.flatMap((h) => [h.pid, h.childPid ?? h.pid]), ...driver.byPid.keys()]);
    expect([...deniedPids].filter((pid) => ownPids.has(pid)), 'reads refused for processes of the simulated node').toEqual([]);

    const cliVanished = await cliScans(driver, withinBudget);
    await driver.stop();
    console.warn(
      `churn: ${driver.stats.started} processes (${driver.stats.killed} SIGKILLed, up to ${driver.stats.maxAlive} at once, ` +
        `${[...driver.byPid.values()].filter((l) => l.length > 1).length} pids reused); ${done.rounds} rounds, ${done.scans} in-process scans checked ` +
        `(${done.passes} passes in all, ${done.vanished} vanished pids counted, ${churnAttributed} churn-port records attributed), ` +
        `${cliVanished.length} CLI scans (vanished: ${cliVanished.join(', ')}); ${Date.now() - started} ms`,
    );
    expect(driver.stats.driverErrors).toEqual([]);
    // What was done: enough rounds and CLI scans, under real churn.
    expect(done.rounds).toBeGreaterThanOrEqual(MIN_ROUNDS);
    expect(cliVanished.length).toBeGreaterThanOrEqual(MIN_CLI_RUNS);
    expect(driver.stats.started).toBeGreaterThanOrEqual(MIN_CHURN_STARTED);
    expect(churnAttributed, 'churn sockets seen attributed (else the churn checks proved nothing)').toBeGreaterThan(0);
  }, TEST_HANG_GUARD_MS);
});
