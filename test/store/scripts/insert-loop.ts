/**
 * Child process of crash.test.ts: opens the store in argv[2] and inserts batches forever (until killed),
 * printing `ack <run> <firstIndex> <firstCursor> <count>` after each insert returned, i.e. once the batch
 * is acknowledged. Every fifth batch also updates an entry and appends a packet chunk.
 * Run as `node --import tsx insert-loop.ts <dir> <run>`.
 */
import { writeSync } from 'node:fs';
import type { Entry } from '../../../src/model/index.js';
import { EntryStore } from '../../../src/store/index.js';
import { makeEntry, mix } from '../support/entries.js';
import { chunkOf, syntheticFrames } from '../support/packets.js';

const [dir, run] = process.argv.slice(2) as [string, string];
const store = EntryStore.open({ dir, maxBytes: 1024 ** 4 });
writeSync(1, 'ready\n');
let next = 0;
for (let batch = 0; ; batch++) {
  const size = 1 + (mix(batch, Number(run)) % 200);
  const entries: Entry[] = [];
  for (let k = 0; k < size; k++) entries.push({ ...makeEntry(next + k), id: `r${run}-${next + k}` });
  const cursors = store.insert(entries);
  writeSync(1, `ack ${run} ${next} ${cursors[0]} ${cursors.length}\n`);
  next += size;
  if (batch % 5 === 4) {
    store.update({ ...entries[0]!, startedAt: `updated-${batch}` });
    store.appendPackets(chunkOf(`r${run}-c${batch}`, syntheticFrames(1 + (batch % 7), 120)));
    writeSync(1, `upd ${run} ${next - size} ${batch}\n`);
  }
}
