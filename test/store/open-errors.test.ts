import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PodsniffError } from '../../src/model/index.js';
import { EntryStore, SCHEMA_VERSION, STORE_FILE } from '../../src/store/index.js';
import { makeEntries } from './support/entries.js';
import { cleanupTempDirs, tempDir } from './support/tmp.js';

afterEach(cleanupTempDirs);

function openError(dir: string): PodsniffError {
  try {
    EntryStore.open({ dir }).close();
  } catch (err) {
    expect(err).toBeInstanceOf(PodsniffError);
    return err as PodsniffError;
  }
  throw new Error('open succeeded');
}

describe('EntryStore.open refuses what it cannot use, with E_STORE_OPEN naming the path', () => {
  it('a file that is not SQLite', () => {
    const dir = tempDir();
    writeFileSync(join(dir, STORE_FILE), 'this is not a database, just text that is long enough to look like a header'.repeat(100));
    const err = openError(dir);
    expect(err.code).toBe('E_STORE_OPEN');
    expect(err.message).toContain(join(dir, STORE_FILE));
    expect(err.message).toContain('not an SQLite database or is damaged');
    expect(err.hint).toBe(`delete ${dir} to start an empty store, or pick another --data-dir`);
  });

  it('an SQLite file of something else', () => {
    const dir = tempDir();
    const db = new Database(join(dir, STORE_FILE));
    db.exec('CREATE TABLE t (x)');
    db.close();
    const err = openError(dir);
    expect(err).toMatchObject({ code: 'E_STORE_OPEN' });
    expect(err.message).toContain('not a podsniff entry store');
  });

  it('a store of another schema version', () => {
    const dir = tempDir();
    const store = EntryStore.open({ dir });
    store.insert(makeEntries(0, 2));
    store.close();
    const db = new Database(join(dir, STORE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const err = openError(dir);
    expect(err.code).toBe('E_STORE_OPEN');
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}; this podsniff reads version ${SCHEMA_VERSION} only`);
    expect(err.hint).toContain(`delete ${dir}`);
  });

  it('a data dir that cannot be created', () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'file'), 'x');
    const dir = join(parent, 'file', 'data');
    const err = openError(dir);
    expect(err.code).toBe('E_STORE_OPEN');
    expect(err.message).toContain(join(dir, STORE_FILE));
    expect(err.hint).toContain(`make ${dir} writable`);
  });

  it('a data file that is a directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, STORE_FILE));
    expect(openError(dir)).toMatchObject({ code: 'E_STORE_OPEN' });
  });

  it('a data dir another store holds open', () => {
    const dir = tempDir();
    const first = EntryStore.open({ dir });
    try {
      first.insert(makeEntries(0, 1));
      const err = openError(dir);
      expect(err.code).toBe('E_STORE_OPEN');
      expect(err.hint).toContain('another podsniff process is using');
      expect(first.insert(makeEntries(1, 1))).toEqual([2]);
    } finally {
      first.close();
    }
    EntryStore.open({ dir }).close();
  });
});
