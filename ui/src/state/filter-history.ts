/** Applied filters, most recent first, persisted in localStorage. */

const KEY = 'podsniff.filterHistory';
const MAX = 30;

export function loadHistory(): string[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

/** Moves `q` to the front and saves; returns the new list. */
export function remember(q: string): string[] {
  const list = [q, ...loadHistory().filter((x) => x !== q)].filter(Boolean).slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: history is a convenience
  }
  return list;
}
