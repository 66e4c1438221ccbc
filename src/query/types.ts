/**
 * Static types of filter expressions. Scalars are compared only with their own type; lists hold one
 * scalar type (`list<empty>` is the type of `[]` and fits any list); `map` is a header map (string keys,
 * case-insensitive, string values). Timestamps and durations are distinct types even though both are
 * milliseconds at run time.
 */

export type ScalarType = 'string' | 'number' | 'bool' | 'timestamp' | 'duration';

export type ListType = `list<${ScalarType}>` | 'list<empty>';

export type QType = ScalarType | ListType | 'map';

export function isList(t: QType): t is ListType {
  return t.startsWith('list<');
}

export function isScalar(t: QType): t is ScalarType {
  return !isList(t) && t !== 'map';
}

/** Element type of a list type; null for `list<empty>`. */
export function elementOf(t: ListType): ScalarType | null {
  const inner = t.slice(5, -1);
  return inner === 'empty' ? null : (inner as ScalarType);
}

export function listOf(t: ScalarType): ListType {
  return `list<${t}>`;
}

/** True when values of `a` and `b` may be compared with `==`. */
export function sameType(a: QType, b: QType): boolean {
  if (a === b) return true;
  return isList(a) && isList(b) && (a === 'list<empty>' || b === 'list<empty>');
}

/** The coarse type the dashboard shows for a field (`QueryField.type`). */
export function publicType(t: QType): 'string' | 'number' | 'bool' | 'timestamp' | 'list' | 'map' {
  if (isList(t)) return 'list';
  if (t === 'duration') return 'number';
  return t;
}
