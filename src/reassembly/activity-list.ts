/**
 * Connections ordered by last activity (least recent at `head`): an intrusive doubly linked list over
 * `Connection.prev/next`, O(1) per touch. Because every touch stamps the assembler's monotonic clock,
 * `lastMs` never decreases from head to tail, so idle expiry only ever looks at `head`.
 */
import type { Connection } from './connection.js';

/** Least recently active first; each connection is in the list at most once. */
export class ActivityList {
  head: Connection | null = null;
  tail: Connection | null = null;

  /** Moves (or adds) `c` to the tail. */
  touch(c: Connection): void {
    if (this.tail === c) return;
    if (c.prev !== null || this.head === c) this.remove(c);
    c.prev = this.tail;
    c.next = null;
    if (this.tail !== null) this.tail.next = c;
    else this.head = c;
    this.tail = c;
  }

  remove(c: Connection): void {
    if (c.prev !== null) c.prev.next = c.next;
    else if (this.head === c) this.head = c.next;
    else return; // not in the list
    if (c.next !== null) c.next.prev = c.prev;
    else this.tail = c.prev;
    c.prev = null;
    c.next = null;
  }
}
