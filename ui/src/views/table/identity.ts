/** One-line labels for endpoints: pod uid (short), else process `comm[pid]`, else `ip:port`. */
import { short } from '../../lib/format.js';
import type { EntryEndpoint } from '../../types.js';

export function addressText(ep: { ip: string; port: number }): string {
  return ep.ip.includes(':') ? `[${ep.ip}]:${ep.port}` : `${ep.ip}:${ep.port}`;
}

export function endpointLabel(ep: EntryEndpoint): string {
  if (ep.pod) return `pod/${short(ep.pod.uid)}${ep.process ? ` ${ep.process.comm}` : ''}`;
  if (ep.process) return `${ep.process.comm}[${ep.process.pid}]`;
  return addressText(ep);
}

/** Tooltip: everything known about the endpoint. */
export function endpointTitle(ep: EntryEndpoint): string {
  const parts = [addressText(ep)];
  if (ep.pod) parts.push(`pod uid ${ep.pod.uid}`);
  if (ep.container) parts.push(`container ${short(ep.container.id, 12)} (${ep.container.runtime})`);
  if (ep.process) parts.push(`process ${ep.process.comm}[${ep.process.pid}]${ep.process.exe ? ` ${ep.process.exe}` : ''}`);
  if (ep.netns) parts.push(`netns ${ep.netns.name ?? ep.netns.inode}`);
  parts.push(resolutionText(ep.resolution));
  return parts.join('\n');
}

export function resolutionText(r: EntryEndpoint['resolution']): string {
  if (r === 'pending') return 'owner lookup pending (the socket scan has not covered it yet)';
  if (r === 'unresolved') return 'owner not found on this node';
  return 'owner resolved';
}
