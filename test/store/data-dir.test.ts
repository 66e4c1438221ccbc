/** The store's directory is private: created with mode 0700 (missing parents too), whatever the umask. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EntryStore } from '../../src/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'podsniff-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('data dir', () => {
  it('is created readable by its owner only', () => {
    const previous = process.umask(0o022);
    try {
      const dir = join(root, 'a', 'b', 'store');
      EntryStore.open({ dir }).close();
      for (const d of [dir, join(root, 'a', 'b'), join(root, 'a')]) expect((statSync(d).mode & 0o777).toString(8), d).toBe('700');
      const temp = EntryStore.open({ dir: null });
      expect((statSync(join(temp.path, '..')).mode & 0o777).toString(8)).toBe('700');
      temp.close();
    } finally {
      process.umask(previous);
    }
  });
});
