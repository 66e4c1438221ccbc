/** The host's local (ephemeral) port range, used to tell UDP servers from clients. */
import { readFileSync } from 'node:fs';

/** Linux's default range, used when the sysctl cannot be read. */
export const DEFAULT_EPHEMERAL: readonly [number, number] = [32768, 60999];

/** Read `sys/net/ipv4/ip_local_port_range` under a procfs root. */
export function readEphemeralRange(procfsRoot: string): readonly [number, number] {
  try {
    const [low, high] = readFileSync(`${procfsRoot}/sys/net/ipv4/ip_local_port_range`, 'latin1').trim().split(/\s+/).map(Number);
    if (low && high && low <= high) return [low, high];
  } catch {
    // a fixture procfs or a restricted mount: fall back to the default
  }
  return DEFAULT_EPHEMERAL;
}
