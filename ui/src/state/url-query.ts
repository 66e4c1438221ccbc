/** The applied filter lives in the URL (`?q=`): read on load, pushed on apply, restored on back/forward. */

export function queryFromUrl(): string {
  return new URLSearchParams(location.search).get('q') ?? '';
}

/** Pushes a history entry for `q` unless the URL already says it. */
export function pushQuery(q: string): void {
  if (queryFromUrl() === q) return;
  const url = new URL(location.href);
  if (q) url.searchParams.set('q', q);
  else url.searchParams.delete('q');
  history.pushState({ q }, '', url);
}

export function onQueryPopped(fn: (q: string) => void): void {
  window.addEventListener('popstate', () => fn(queryFromUrl()));
}
