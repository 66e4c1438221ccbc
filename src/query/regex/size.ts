/**
 * Bounds the size of a pattern once counted repetitions are expanded (`x{3}` is three copies of `x`,
 * each optional copy and each alternative adds a branch), as RE2 expands them when it compiles: over
 * `MAX_REGEX_PROGRAM` steps is a `limit` error at the part of the pattern where the budget runs out,
 * found without expanding anything (`(a{1000}){1000}` is refused at its `a`).
 */
import { MAX_REGEX_PROGRAM } from '../limits.js';
import { RegexError, type RNode } from './ast.js';

/** Throws a `limit` `RegexError` when the expanded pattern has more than `MAX_REGEX_PROGRAM` steps. */
export function checkSize(root: RNode): void {
  const sizes = new Map<RNode, number>();
  const used = new Budget(sizes).node(root, 0);
  // One more step ends the program (the match itself).
  if (used + 1 > MAX_REGEX_PROGRAM) tooLarge(0);
}

function tooLarge(pos: number): never {
  throw new RegexError('limit', `regex is too large once compiled (over ${MAX_REGEX_PROGRAM} steps)`, Math.max(0, pos));
}

class Budget {
  constructor(private readonly sizes: Map<RNode, number>) {}

  /** Steps used after `n`, given `used` before it; throws where the budget runs out. */
  node(n: RNode, used: number): number {
    const whole = used + this.size(n);
    if (whole <= MAX_REGEX_PROGRAM) return whole;
    switch (n.k) {
      case 'char':
      case 'set':
      case 'assert':
        return tooLarge(n.pos);
      case 'cat':
        return n.items.reduce((u, item) => this.node(item, u), used);
      case 'alt':
        return n.items.reduce((u, item, i) => {
          const last = i === n.items.length - 1;
          const after = this.node(item, last ? u : this.step(u, n.pos));
          return last ? after : this.step(after, n.pos);
        }, used);
      case 'repeat':
        return this.repeat(n, used);
    }
  }

  private repeat(n: RNode & { k: 'repeat' }, used: number): number {
    let u = used;
    for (let i = 0; i < n.min; i++) u = this.node(n.body, u);
    if (n.max === Infinity) return this.step(this.node(n.body, this.step(u, n.pos)), n.pos);
    for (let i = n.min; i < n.max; i++) u = this.node(n.body, this.step(u, n.pos));
    return u;
  }

  private step(used: number, pos: number): number {
    return used + 1 > MAX_REGEX_PROGRAM ? tooLarge(pos) : used + 1;
  }

  /** Expanded size of a node (memoised). */
  private size(n: RNode): number {
    const known = this.sizes.get(n);
    if (known !== undefined) return known;
    const s = this.compute(n);
    this.sizes.set(n, s);
    return s;
  }

  private compute(n: RNode): number {
    switch (n.k) {
      case 'char':
      case 'set':
      case 'assert':
        return 1;
      case 'cat':
        return n.items.reduce((s, item) => s + this.size(item), 0);
      case 'alt':
        return n.items.reduce((s, item) => s + this.size(item), 0) + 2 * (n.items.length - 1);
      case 'repeat': {
        const body = this.size(n.body);
        return n.min * body + (n.max === Infinity ? body + 2 : (n.max - n.min) * (body + 1));
      }
    }
  }
}
