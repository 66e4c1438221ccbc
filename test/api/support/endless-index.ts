/**
 * An entry index that never runs out of pages, each page slow and empty: a rare unindexed filter over a
 * huge store. Only the service map's time budget can end a read of it (test/api/servicemap, bench:api).
 */
import { performance } from 'node:perf_hooks';

/** The index and how many pages were read from it so far. */
export function endlessIndex(pageMs: number) {
  let pages = 0;
  const index = {
    list: () => {
      pages++;
      const until = performance.now() + pageMs;
      while (performance.now() < until);
      return { items: [], before: 1_000_000 - pages * 10_000, after: 1_000_000, complete: false };
    },
    get: () => null,
    packetStats: () => null,
    exportPcap: () => null,
    connectionRedacted: () => false,
  };
  return { index, pages: (): number => pages };
}
