/**
 * Compiles a regex tree into a flat program (sets are already case-closed under `(?i)`; single
 * characters compare canonical forms) for the Pike-style simulation in `vm.ts`. Counted
 * repetitions are expanded; the program size is bounded by `MAX_REGEX_PROGRAM` (checked while
 * emitting, so `(a{1000}){1000}` is refused before it is built).
 */
import { MAX_REGEX_PROGRAM } from '../limits.js';
import { RegexError, type AssertKind, type RegexFlags, type RNode } from './ast.js';
import type { CharSet } from './charset.js';
import { canonUnit } from './fold.js';

/** Instruction codes. */
export const Op = { Char: 0, CharFold: 1, Set: 2, Split: 4, Jmp: 5, Assert: 6, Match: 7 } as const;
export type Op = (typeof Op)[keyof typeof Op];

export const ASSERT_CODES: Readonly<Record<AssertKind, number>> = { bol: 0, eol: 1, wordb: 2, nwordb: 3 };

/** A compiled program: instruction `i` is `(ops[i], a[i], b[i])`; sets are referenced by index. */
export interface Program {
  readonly ops: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly sets: readonly CharSet[];
}

export function compileProgram(root: RNode, flags: RegexFlags): Program {
  const e = new Emitter(flags);
  e.node(root);
  e.emit(Op.Match, 0, 0, -1);
  return { ops: Uint8Array.from(e.ops), a: Int32Array.from(e.a), b: Int32Array.from(e.b), sets: e.sets };
}

class Emitter {
  readonly ops: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly sets: CharSet[] = [];

  constructor(private readonly flags: RegexFlags) {}

  emit(op: Op, a: number, b: number, pos: number): number {
    if (this.ops.length >= MAX_REGEX_PROGRAM) throw new RegexError('limit', `regex is too large once compiled (over ${MAX_REGEX_PROGRAM} steps)`, Math.max(0, pos));
    this.ops.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.ops.length - 1;
  }

  get pc(): number {
    return this.ops.length;
  }

  node(n: RNode): void {
    switch (n.k) {
      case 'char':
        if (this.flags.ignoreCase) this.emit(Op.CharFold, canonUnit(n.c), 0, n.pos);
        else this.emit(Op.Char, n.c, 0, n.pos);
        return;
      case 'set':
        this.sets.push(n.set);
        this.emit(Op.Set, this.sets.length - 1, 0, n.pos);
        return;
      case 'assert':
        this.emit(Op.Assert, ASSERT_CODES[n.a], 0, n.pos);
        return;
      case 'cat':
        for (const item of n.items) this.node(item);
        return;
      case 'alt':
        this.alternation(n.items, n.pos);
        return;
      case 'repeat':
        this.repeat(n);
        return;
    }
  }

  /** `SPLIT L1, next; L1: x; JMP end; next: SPLIT ...; last` */
  private alternation(items: readonly RNode[], pos: number): void {
    const jumps: number[] = [];
    items.forEach((item, i) => {
      if (i === items.length - 1) {
        this.node(item);
        return;
      }
      const split = this.emit(Op.Split, this.pc + 1, 0, pos);
      this.node(item);
      jumps.push(this.emit(Op.Jmp, 0, 0, pos));
      this.b[split] = this.pc;
    });
    for (const j of jumps) this.a[j] = this.pc;
  }

  private repeat(n: RNode & { k: 'repeat' }): void {
    for (let i = 0; i < n.min; i++) this.node(n.body);
    if (n.max === Infinity) return this.star(n);
    const exits: number[] = [];
    for (let i = n.min; i < n.max; i++) {
      exits.push(this.emit(Op.Split, this.pc + 1, 0, n.pos));
      this.node(n.body);
    }
    for (const s of exits) this.b[s] = this.pc;
  }

  /** `L: SPLIT body, out; body; JMP L; out:` */
  private star(n: RNode & { k: 'repeat' }): void {
    const loop = this.emit(Op.Split, this.pc + 1, 0, n.pos);
    this.node(n.body);
    this.emit(Op.Jmp, loop, 0, n.pos);
    this.b[loop] = this.pc;
  }
}
