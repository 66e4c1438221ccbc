/**
 * `npm run bench:regex`: podsniff's `matches()` regex (`src/query/regex`, re2js behind podsniff's
 * policy, 64 KiB cap and substring path; the hand-written engine it replaced is measured by the same
 * bench at commit d4233f4) against re2js used directly (RE2 in TypeScript), re2 (RE2's C++ through a native addon, when it can be loaded) and the native `RegExp`
 * (only where backtracking is safe), all in one process. Cases: compile time of typical filter
 * patterns, match throughput on short values (paths, hosts, ~50 B) and on 64 KiB bodies, the
 * adversarial patterns on 64 KiB of `x`, and the linear-time property on 1 MiB (moved here from the
 * unit tests: tests do not assert wall-clock time). Each figure is the median of `ROUNDS` runs; the
 * ratio columns are engine time ÷ podsniff time (> 1: podsniff is faster). Every engine must give the
 * same match count per case, else the case is marked `DIFF`.
 *
 * re2 is not a dependency of the project (a 2.5-minute C++ build); to include it, build it once
 * outside the tree and point `RE2_MODULE` at it: `npm i --prefix /tmp/re2 re2@1.24.0` then
 * `RE2_MODULE=/tmp/re2/node_modules/re2 npm run bench:regex`.
 */
import { engines, type Engine } from './regex/engines.js';
import { adversarialCases, compilePatterns, linearCases, longCases, shortCases, type MatchCase } from './regex/cases.js';
import { fmtTime, measure, median } from './regex/measure.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);

function header(title: string, list: readonly Engine[]): void {
  console.log(`\n## ${title}`);
  const cols = list.map((e) => e.name.padStart(11));
  const ratios = list.slice(1).map((e) => `${e.name}/${list[0]!.name}`.padStart(15));
  console.log(['case'.padEnd(40), ...cols, ...ratios].join(' '));
}

function row(label: string, times: readonly (number | string)[], note = ''): void {
  const base = times[0];
  const cells = times.map((t) => (typeof t === 'number' ? fmtTime(t) : t).padStart(11));
  const ratios = times.slice(1).map((t) => (typeof t === 'number' && typeof base === 'number' ? `${(t / base).toFixed(2)}x` : '-').padStart(15));
  console.log([label.slice(0, 40).padEnd(40), ...cells, ...ratios].join(' ') + (note ? `  ${note}` : ''));
}

/** Median compile time of each pattern, per engine, over runs of ~50 ms (a refused pattern prints its refusal). */
function benchCompile(list: readonly Engine[]): void {
  header('compile (per pattern)', list);
  // Warm every engine's compiler up first: otherwise the first pattern measures the JIT.
  for (let i = 0; i < 200; i++) for (const e of list) for (const p of compilePatterns) e.compile(p);
  for (const p of compilePatterns) {
    const times = list.map((e) => {
      const first = e.compile(p);
      if (typeof first === 'string') return 'refused';
      const reps = Math.min(5000, Math.max(20, Math.round(50 / measure(20, () => e.compile(p)))));
      return median(ROUNDS, () => measure(reps, () => e.compile(p)));
    });
    row(p, times);
  }
}

/** Median time of one `test` call over the case's values, per engine; checks the engines agree. */
function benchMatch(title: string, cases: readonly MatchCase[], list: readonly Engine[]): void {
  header(title, list);
  for (const c of cases) {
    const counts = new Set<number>();
    const times = list.map((e) => {
      if (e.name === 'native' && !c.nativeSafe) return 'unsafe';
      const re = e.compile(c.pattern);
      if (typeof re === 'string') return 'refused';
      counts.add(c.values.reduce((n, v) => n + (re(v) ? 1 : 0), 0));
      const reps = Math.max(1, Math.round(c.reps / c.values.length));
      return median(ROUNDS, () => measure(reps, () => c.values.forEach((v) => re(v)))) / c.values.length;
    });
    row(c.label, times, counts.size > 1 ? `DIFF ${[...counts].join('/')}` : '');
  }
}

function main(): void {
  const list = engines();
  console.log(`node ${process.version}; median of ${ROUNDS} runs; engines: ${list.map((e) => `${e.name} (${e.about})`).join(', ')}`);
  benchCompile(list);
  benchMatch('short values (~50 B), time per value', shortCases(), list);
  benchMatch('64 KiB bodies, time per body', longCases(), list);
  benchMatch('adversarial, 64 KiB of "x" unless noted, time per value', adversarialCases(), list);
  benchMatch('linear-time property, 1 MiB of "x" (podsniff searches the first 64 KiB only)', linearCases(), list);
}

main();
