/**
 * The filter language's fields (from `/api/v1/query/fields`): completion, help, and the choice of the
 * field a "+" button appends. Until the list arrives (or if it cannot), the first candidate is used.
 */
import { fetchFields } from '../api/client.js';
import type { QueryField } from '../types.js';

export class FieldCatalog {
  fields: readonly QueryField[] = [];
  private byName = new Map<string, QueryField>();
  loaded = false;

  async load(): Promise<void> {
    try {
      this.set(await fetchFields());
    } catch {
      // completion and "+" fall back to the default field names
    }
  }

  set(fields: readonly QueryField[]): void {
    this.fields = fields;
    this.byName = new Map(fields.map((f) => [f.name, f]));
    this.loaded = true;
  }

  get(name: string): QueryField | undefined {
    return this.byName.get(name);
  }

  /** The first candidate the language knows; before the list is loaded, the first candidate. */
  resolve(candidates: readonly string[]): string | null {
    if (!this.loaded || !this.fields.length) return candidates[0] ?? null;
    return candidates.find((c) => this.byName.has(c)) ?? null;
  }

  /** Fields whose name starts with `prefix` (case-insensitive), best first. */
  complete(prefix: string, max = 12): QueryField[] {
    const p = prefix.toLowerCase();
    return this.fields.filter((f) => f.name.toLowerCase().startsWith(p)).slice(0, max);
  }
}
