/**
 * Golden tests: every committed capture (recorded from real traffic by `npm run fixtures:record`) read
 * by the offline pipeline must give exactly its `<name>.golden.json`, whatever the chunking of the
 * file's bytes, and the same bytes on every replay. `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the goldens: read the diff before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteByByte, bytesOf, fixtures, goldenText, read, splitAt } from './support.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(fixtures())('$file', (f) => {
  const bytes = bytesOf(f);
  const whole = (): string => goldenText(read([bytes]));

  it('matches its golden file', () => {
    const text = whole();
    if (UPDATE) writeFileSync(f.goldenPath, text);
    expect(existsSync(f.goldenPath), `${f.goldenPath} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
    expect(text).toBe(readFileSync(f.goldenPath, 'utf8'));
  });

  it('replays to byte-identical JSON', () => {
    expect(whole()).toBe(whole());
  });

  it('gives the same output fed byte by byte', () => {
    expect(goldenText(read(byteByByte(bytes)))).toBe(whole());
  });

  it('gives the same output at random split points', () => {
    const expected = whole();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { minLength: 1, maxLength: 40 }), (points) => {
        expect(goldenText(read(splitAt(bytes, points)))).toBe(expected);
      }),
      { numRuns: 5 },
    );
  });
});
