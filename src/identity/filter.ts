/** Matching sockets against a `ConnectionFilter` (absent fields match everything). */
import type { AttributedSocket, ConnectionFilter } from '../model/index.js';

/** True when `record` passes every field set in `filter`. */
export function matchesFilter(record: AttributedSocket, filter: ConnectionFilter): boolean {
  if (filter.pid !== undefined && record.pid !== filter.pid && !record.sharedWith.includes(filter.pid)) return false;
  if (filter.netns !== undefined && record.netns !== filter.netns) return false;
  if (filter.netnsName !== undefined && record.netnsName !== filter.netnsName) return false;
  if (filter.podUid !== undefined && record.pod?.uid !== filter.podUid) return false;
  if (filter.containerId !== undefined && !record.container?.id.startsWith(filter.containerId)) return false;
  if (filter.proto !== undefined && record.proto !== filter.proto) return false;
  if (filter.state !== undefined && record.state !== filter.state.toUpperCase()) return false;
  if (filter.listeningOnly && record.state !== 'LISTEN' && record.state !== 'UNCONN') return false;
  return true;
}
