/** Minimal observable value holder: `get()`, `set(patch)`, `subscribe(fn)`. */
export class Observable<T extends object> {
  private listeners = new Set<(value: T) => void>();

  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(patch: Partial<T>): void {
    this.value = { ...this.value, ...patch };
    for (const fn of this.listeners) fn(this.value);
  }

  subscribe(fn: (value: T) => void): () => void {
    this.listeners.add(fn);
    fn(this.value);
    return () => this.listeners.delete(fn);
  }
}
