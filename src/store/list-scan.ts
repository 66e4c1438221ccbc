/**
 * The non-exact part of listing: one window's rows (already narrowed by SQL) are parsed and tested with
 * the matcher, newest first, under a budget of rows, JSON characters and time shared by the whole call.
 * A matcher that throws is a non-match (the contract says it never throws; the store does not crash if
 * one does).
 */
import type Database from 'better-sqlite3';
import type { EntryMatcher } from '../model/index.js';
import type { ListLimits, PageState, WindowOutcome } from './list-types.js';
import { entryFromRow, itemFromText } from './row.js';

/** Rows between two looks at the clock. */
const TIME_CHECK_ROWS = 256;

/** What one list call may still spend on parsing and matching. */
export class ScanBudget {
  private rows = 0;
  private text = 0;
  private readonly deadline: number;

  constructor(
    private readonly maxRows: number,
    private readonly limits: ListLimits,
  ) {
    this.deadline = limits.now() + limits.timeBudgetMs;
  }

  count(chars: number): void {
    this.rows++;
    this.text += chars;
  }

  exhausted(): boolean {
    if (this.rows >= this.maxRows || this.text > this.limits.textBudget) return true;
    return this.rows % TIME_CHECK_ROWS === 0 && this.rows > 0 && this.limits.now() > this.deadline;
  }
}

/** Tests the window's rows (`params` bind the window) until the page is full or the budget is spent. */
export function scanWindow(
  stmt: Database.Statement,
  params: (string | number)[],
  matcher: EntryMatcher,
  limit: number,
  budget: ScanBudget,
  state: PageState,
): WindowOutcome {
  const rows = stmt.iterate(...params) as IterableIterator<[number, string, string]>;
  try {
    for (const [cursor, item, detail] of rows) {
      if (state.items.length === limit) return { kind: 'full', before: state.items.at(-1)!.cursor };
      if (budget.exhausted()) return { kind: 'budget' };
      budget.count(item.length + detail.length);
      state.lastExamined = cursor;
      if (safeMatch(matcher, item, detail)) state.items.push(itemFromText(item));
    }
  } finally {
    rows.return?.();
  }
  return { kind: 'more' };
}

function safeMatch(matcher: EntryMatcher, item: string, detail: string): boolean {
  try {
    return matcher.matches(entryFromRow(item, detail));
  } catch {
    return false;
  }
}
