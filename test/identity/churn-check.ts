/**
 * What a scan taken under churn must satisfy (test/identity/churn.test.ts): every socket of a churn port
 * belongs to the churn process that owned that port, or to nobody once it is gone; no churn process is
 * given a socket it did not own; no churn container shows up on other ports.
 */
import type { AttributedSocket } from '../../src/model/index.js';
import { CHURN_PORT_BASE, CHURN_PORT_LIMIT, type ChurnDriver } from './churn-driver.js';

/** Violations of one scan, as lines, and how many churn-port records came out rightly attributed. */
export interface ChurnVerdict {
  violations: string[];
  attributed: number;
}

export function describeRecord(r: AttributedSocket): string {
  const owner = r.pid === null ? 'no owner' : `pid ${r.pid} fd ${r.fd} ${r.comm} container ${r.container?.id.slice(0, 12) ?? '-'} pod ${r.pod?.uid ?? '-'}`;
  return `${r.proto}${r.family} ${r.state} ${r.local.ip}:${r.local.port} -> ${r.remote.ip}:${r.remote.port} inode ${r.inode} netns ${r.netnsName ?? r.netns}: ${owner}${r.sharedWith.length ? ` shared with ${r.sharedWith.join(',')}` : ''}`;
}

function churnPortOf(r: AttributedSocket): number | null {
  for (const port of [r.local.port, r.remote.port]) if (port >= CHURN_PORT_BASE && port < CHURN_PORT_LIMIT) return port;
  return null;
}

/** Checks the records of the node's pod namespaces `podNetns` against the driver's ground truth. */
export async function judgeChurn(records: AttributedSocket[], driver: ChurnDriver, podNetns: readonly number[]): Promise<ChurnVerdict> {
  await driver.settled();
  const verdict: ChurnVerdict = { violations: [], attributed: 0 };
  const ours = new Set(podNetns);
  for (const r of records) if (ours.has(r.netns)) await judgeOwner(r, driver, verdict);
  for (const r of records) judgeChurnPids(r, driver, verdict);
  return verdict;
}

/** A socket of a churn port: owned by that port's process, or by nobody. */
async function judgeOwner(r: AttributedSocket, driver: ChurnDriver, verdict: ChurnVerdict): Promise<void> {
  const port = churnPortOf(r);
  if (port === null || !driver.portOwner.has(port)) {
    if (r.container !== null && driver.containers.has(r.container.id)) verdict.violations.push(`${describeRecord(r)}; a churn container's record on no churn port`);
    return;
  }
  const owner = await driver.portOwner.get(port)!;
  if (r.pid === null) return;
  const out = verdict.violations;
  if (owner === null) out.push(`${describeRecord(r)}; its port's process never started`);
  else if (r.pid !== owner.pid || r.sharedWith.length) out.push(`${describeRecord(r)}; expected pid ${owner.pid} (owner of port ${port})`);
  else if (r.netns !== owner.netns || r.netnsName !== owner.netnsName || r.pod?.uid !== owner.podUid || r.container?.id !== owner.containerId) {
    out.push(`${describeRecord(r)}; expected netns ${owner.netnsName}, pod ${owner.podUid}, container ${owner.containerId.slice(0, 12)}`);
  } else if (r.fd === null) out.push(`${describeRecord(r)}; attributed without an fd`);
  else verdict.attributed++;
}

/** The other way round: a churn pid only ever owns sockets of its own port, in its own pod. */
function judgeChurnPids(r: AttributedSocket, driver: ChurnDriver, verdict: ChurnVerdict): void {
  for (const pid of r.pid === null ? [] : [r.pid, ...r.sharedWith]) {
    const procs = driver.byPid.get(pid);
    if (!procs) continue;
    const owned = procs.some((p) => p.netns === r.netns && (r.local.port === p.port || r.remote.port === p.port));
    if (!owned) verdict.violations.push(`${describeRecord(r)}; pid ${pid} is churn process(es) ${procs.map((p) => `port ${p.port} in ${p.netnsName}`).join(', ')}`);
  }
}
