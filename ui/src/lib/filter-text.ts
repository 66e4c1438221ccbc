/** Building filter text: quoting values and appending `&& field == value` clauses. */

/** A string literal of the filter language: double quotes, `\` and `"` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function clause(field: string, value: string | number): string {
  return `${field} == ${typeof value === 'number' ? String(value) : quote(value)}`;
}

/** `q && clause`, or `clause` alone when q is empty; an `||` in q is parenthesised first. */
export function appendClause(q: string, c: string): string {
  const base = q.trim();
  if (!base) return c;
  const wrapped = base.includes('||') ? `(${base})` : base;
  return `${wrapped} && ${c}`;
}
