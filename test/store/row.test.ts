import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/model/index.js';
import { entryFromRow, entryToRow, itemFromText } from '../../src/store/row.js';
import { toEntryListItem } from '../../src/model/index.js';
import { makeEntry } from './support/entries.js';

describe('entry ⇄ row', () => {
  it('splits an entry into item + detail and joins it back equal, whatever its strings hold', () => {
    const codes = fc.constantFrom('tcp.gap', 'truncated', 'no-response', 'body-capped');
    fc.assert(
      fc.property(
        fc.nat(5000),
        fc.string(),
        fc.string(),
        fc.array(fc.record({ code: codes, detail: fc.string() }), { maxLength: 3 }),
        (i, target, detail, anomalies) => {
          const base = makeEntry(i);
          const tricky = `${target},"anomalies":[${detail}]}`;
          const entry = { ...base, id: tricky, summary: { ...base.summary, target: tricky }, anomalies } as Entry;
          const row = entryToRow(entry, i + 1);
          expect(entryFromRow(row.item, row.detail)).toEqual(entry);
          expect(itemFromText(row.item)).toEqual(toEntryListItem(entry, i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores missing indexed values as the empty value', () => {
    const e = makeEntry(5);
    const bare = { ...e, elapsedMs: null, summary: { method: null, target: null, statusCode: null, status: null }, src: { ...e.src, pod: null }, dst: { ...e.dst, pod: null } } as Entry;
    expect(entryToRow(bare, 1)).toMatchObject({ statusCode: 0, method: '', elapsedMs: 0, srcPod: '', dstPod: '' });
  });
});
