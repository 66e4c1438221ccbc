/**
 * Linear-time matcher: a Pike-style simulation of the compiled program (Thompson's construction),
 * answering only "is there a match anywhere". Every step advances all live threads together, each
 * instruction at most once per input position, so time is O(program size × input length) whatever the
 * pattern. Only the first `MAX_MATCH_INPUT` code units are searched; `$` still means the real end.
 */
import { MAX_MATCH_INPUT } from '../limits.js';
import * as cs from './charset.js';
import { canonUnit } from './fold.js';
import { Op, type Program } from './program.js';

/** Where a search may start: `anchored` (only at 0), and the code units a match can start with. */
export interface SearchHints {
  readonly anchored: boolean;
  /** Null when a match may start with anything (or be empty); case-closed under `(?i)`. */
  readonly start: cs.CharSet | null;
}

/** A reusable matcher for one program. Not re-entrant (holds scratch state); never throws. */
export class PikeVm {
  private readonly size: number;
  private readonly marks: Uint32Array;
  private generation = 0;
  private current: Int32Array;
  private nextList: Int32Array;
  private readonly stack: Int32Array;

  constructor(
    private readonly prog: Program,
    private readonly hints: SearchHints,
  ) {
    this.size = prog.ops.length;
    this.marks = new Uint32Array(this.size);
    this.current = new Int32Array(this.size);
    this.nextList = new Int32Array(this.size);
    this.stack = new Int32Array(this.size + 1);
  }

  test(input: string): boolean {
    const end = Math.min(input.length, MAX_MATCH_INPUT);
    const anchored = this.hints.anchored;
    let count = 0;
    for (let pos = 0; ; pos++) {
      if (count === 0) {
        if (pos > 0 && anchored) return false;
        pos = this.skipToStart(input, pos, end);
        if (pos < 0) return false;
        this.bumpGeneration();
      }
      // `current` holds the threads for `pos`, marked with the current generation.
      if (!anchored || pos === 0) {
        count = this.add(this.current, count, 0, input, pos);
        if (count < 0) return true;
      }
      if (pos >= end) return false;
      if (count === 0) continue;
      this.bumpGeneration();
      count = this.step(input, pos, count);
      if (count < 0) return true;
      const t = this.current;
      this.current = this.nextList;
      this.nextList = t;
    }
  }

  /** Next position ≥ pos where a match could start, or -1 when there is none before `end`. */
  private skipToStart(input: string, pos: number, end: number): number {
    const set = this.hints.start;
    if (!set) return pos;
    for (let p = pos; p < end; p++) if (cs.has(set, input.charCodeAt(p))) return p;
    return -1;
  }

  private bumpGeneration(): void {
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.marks.fill(0);
      this.generation = 1;
    }
  }

  /** Advances every thread over the code unit at `pos` into `nextList`; -1 on a match. */
  private step(input: string, pos: number, count: number): number {
    const { ops, a, sets } = this.prog;
    const c = input.charCodeAt(pos);
    let folded = -1;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const pc = this.current[i]!;
      let ok = false;
      switch (ops[pc]) {
        case Op.Char:
          ok = c === a[pc];
          break;
        case Op.CharFold:
          if (folded < 0) folded = canonUnit(c);
          ok = folded === a[pc];
          break;
        case Op.Set:
          ok = cs.has(sets[a[pc]!]!, c);
          break;
        default:
          break;
      }
      if (ok) {
        n = this.add(this.nextList, n, pc + 1, input, pos + 1);
        if (n < 0) return -1;
      }
    }
    return n;
  }

  /**
   * Adds the thread at `pc` and everything reachable without consuming input to `list[count..]`,
   * using an explicit stack. Returns the new count, or -1 when `Match` is reachable.
   */
  private add(list: Int32Array, count: number, pc: number, input: string, pos: number): number {
    const { ops, a, b } = this.prog;
    const marks = this.marks;
    const gen = this.generation;
    const stack = this.stack;
    let sp = 0;
    let n = count;
    stack[sp++] = pc;
    while (sp > 0) {
      const p = stack[--sp]!;
      if (marks[p] === gen) continue;
      marks[p] = gen;
      switch (ops[p]) {
        case Op.Match:
          return -1;
        case Op.Jmp:
          stack[sp++] = a[p]!;
          break;
        case Op.Split:
          stack[sp++] = b[p]!;
          stack[sp++] = a[p]!;
          break;
        case Op.Assert:
          if (assertHolds(a[p]!, input, pos)) stack[sp++] = p + 1;
          break;
        default:
          list[n++] = p;
      }
    }
    return n;
  }
}

function isWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0x61 && c <= 0x7a);
}

function assertHolds(kind: number, input: string, pos: number): boolean {
  switch (kind) {
    case 0:
      return pos === 0;
    case 1:
      return pos === input.length;
    default: {
      const before = pos > 0 && isWord(input.charCodeAt(pos - 1));
      const after = pos < input.length && isWord(input.charCodeAt(pos));
      return (before !== after) === (kind === 2);
    }
  }
}
