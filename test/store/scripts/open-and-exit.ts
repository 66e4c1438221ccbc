/** Child of entry-store.test.ts: opens a temp-dir store, prints its path, and exits without close(). */
import { writeSync } from 'node:fs';
import { EntryStore } from '../../../src/store/index.js';
import { makeEntries } from '../support/entries.js';

const store = EntryStore.open({ dir: null });
store.insert(makeEntries(0, 3));
writeSync(1, `${store.path}\n`);
