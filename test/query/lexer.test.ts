import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/query/lexer.js';
import { MAX_STRING_LENGTH } from '../../src/query/limits.js';
import { expectFilterError } from './helpers.js';

const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('splits operators greedily and keeps positions', () => {
    const tokens = tokenize('a>=1&&!b');
    expect(tokens.map((t) => [t.text, t.pos, t.end])).toEqual([
      ['a', 0, 1], ['>=', 1, 3], ['1', 3, 4], ['&&', 4, 6], ['!', 6, 7], ['b', 7, 8], ['', 8, 8],
    ]);
  });

  it('reads keywords, identifiers and numbers', () => {
    expect(kinds('true false null in status_code 0x1F 1.5e3 .5')).toEqual([
      'keyword:true', 'keyword:false', 'keyword:null', 'keyword:in', 'ident:status_code', 'number:0x1F', 'number:1.5e3', 'number:.5', 'eof:',
    ]);
    expect(tokenize('0x1F')[0]).toMatchObject({ value: 31 });
    expect(tokenize('1.5e3')[0]).toMatchObject({ value: 1500 });
  });

  it('decodes escapes in double- and single-quoted strings', () => {
    const [t] = tokenize(String.raw`"a\"b\\c\n\t\x41\u00e9\u{1F600}'"`);
    expect(t).toMatchObject({ kind: 'string', value: 'a"b\\c\n\tAé😀\'' });
    expect(tokenize(String.raw`'it\'s "x"'`)[0]).toMatchObject({ value: `it's "x"` });
  });

  it('keeps raw strings verbatim, with per-character offsets', () => {
    const [t] = tokenize(String.raw`x r"^\d+$"`).slice(1);
    expect(t).toMatchObject({ kind: 'string', value: String.raw`^\d+$`, pos: 2 });
    expect((t as unknown as { offsets: number[] }).offsets).toEqual([4, 5, 6, 7, 8]);
  });

  it('maps decoded characters back to their source offsets', () => {
    const [t] = tokenize(String.raw`"a\nb"`);
    expect((t as unknown as { offsets: number[] }).offsets).toEqual([1, 2, 4]);
  });

  it('rejects unknown escapes, unterminated strings and stray characters with positions', () => {
    const esc = expectFilterError(() => tokenize(String.raw`path == "\d"`), 'E_QUERY_SYNTAX', 9);
    expect(esc.hint).toMatch(/raw string/);
    const open = expectFilterError(() => tokenize('method == "POST'), 'E_QUERY_SYNTAX', 15);
    expect(open.message).toBe('expected closing quote at 15, found end of input');
    const stray = expectFilterError(() => tokenize('a = 1'), 'E_QUERY_SYNTAX', 2);
    expect(stray.hint).toMatch(/==/);
    expectFilterError(() => tokenize('a # 1'), 'E_QUERY_SYNTAX', 2);
    expectFilterError(() => tokenize('12abc'), 'E_QUERY_SYNTAX', 2);
  });

  it('bounds string literals', () => {
    expect(() => tokenize(`"${'x'.repeat(MAX_STRING_LENGTH)}"`)).not.toThrow();
    expectFilterError(() => tokenize(`a == "${'x'.repeat(MAX_STRING_LENGTH + 1)}"`), 'E_QUERY_LIMIT', 5);
    expectFilterError(() => tokenize(`r'${'x'.repeat(MAX_STRING_LENGTH + 1)}'`), 'E_QUERY_LIMIT', 0);
  });
});
