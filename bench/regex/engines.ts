/**
 * The regex engines the bench compares, behind one shape: `compile(pattern)` returns a tester or, when
 * the engine refuses the pattern, the reason. The first engine is podsniff's, the baseline of ratios.
 */
import { createRequire } from 'node:module';
import { RE2JS } from 're2js';
import { compileRegex } from '../../src/query/regex/index.js';

export type Tester = (input: string) => boolean;

export interface Engine {
  readonly name: string;
  readonly about: string;
  readonly compile: (pattern: string) => Tester | string;
}

function guarded(compile: (pattern: string) => Tester): (pattern: string) => Tester | string {
  return (pattern) => {
    try {
      return compile(pattern);
    } catch (e) {
      return (e as Error).message;
    }
  };
}

const podsniff: Engine = { name: 'podsniff', about: 'src/query/regex compileRegex', compile: guarded((p) => compileRegex(p).test) };

const re2js: Engine = {
  name: 're2js',
  about: 're2js RE2JS.compile(p).test',
  compile: guarded((p) => {
    const re = RE2JS.compile(p);
    return (s) => re.test(s);
  }),
};

/** JS `RegExp`, with a leading `(?i)`/`(?s)` turned into flags (Node 20 has no inline modifiers). */
const native: Engine = {
  name: 'native',
  about: 'RegExp, only where backtracking is safe',
  compile: guarded((p) => {
    const m = /^\(\?([is]+)\)/.exec(p);
    const re = new RegExp(m ? p.slice(m[0].length) : p, m?.[1] ?? '');
    return (s) => re.test(s);
  }),
};

/** re2 (the C++ library's addon) from `RE2_MODULE`, or null when it is not set or does not load. */
function re2(): Engine | null {
  const path = process.env.RE2_MODULE;
  if (!path) return null;
  try {
    const RE2 = createRequire(import.meta.url)(path) as new (p: string) => { test(s: string): boolean };
    return {
      name: 're2',
      about: `re2 addon at ${path}`,
      compile: guarded((p) => {
        const re = new RE2(p);
        return (s) => re.test(s);
      }),
    };
  } catch (e) {
    console.warn(`re2 not loaded from ${path}: ${(e as Error).message}`);
    return null;
  }
}

export function engines(): Engine[] {
  return [podsniff, re2js, ...[re2()].filter((e): e is Engine => e !== null), native];
}
