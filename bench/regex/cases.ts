/**
 * Inputs of the regex bench, generated from a fixed seed: typical filter patterns, short values
 * (request paths and host names of ~50 B), 64 KiB JSON bodies, adversarial patterns and inputs.
 */

/** A pattern run over `values`; `reps` is the total number of `test` calls per run. */
export interface MatchCase {
  readonly label: string;
  readonly pattern: string;
  readonly values: readonly string[];
  readonly reps: number;
  /** Whether a backtracking `RegExp` runs it in reasonable time (else native is not run). */
  readonly nativeSafe: boolean;
}

export const KIB64 = 64 * 1024;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => pick(r, [...'0123456789abcdef'])).join('');

/** Patterns users type into `matches()`: paths, hosts, bodies, headers. */
export const compilePatterns: readonly string[] = [
  'needle',
  '^/api/v[12]/',
  'orders$',
  'v[12]/.*s$',
  '(?i)checkout\\.shop',
  '^[a-z0-9-]+\\.shop\\.svc\\.cluster\\.local$',
  '"qty":\\s*\\d+',
  '\\d{1,3}(\\.\\d{1,3}){3}',
  '(?i)^(get|post|put)?[a-z0-9_/.-]*(\\d{1,3}\\.){3}\\d{1,3}[^x]*(abc|def|ghi)+x{2,40}\\w*\\s*$',
];

function shortValues(): string[] {
  const r = rng(7);
  const path = (): string => pick(r, [
    () => `/api/v${1 + Math.floor(r() * 3)}/orders/${Math.floor(r() * 1e6)}`,
    () => `/api/v2/cart/items?session=${hex(r, 16)}`,
    () => `/static/app.${hex(r, 8)}.js`,
    () => '/healthz',
    () => `/api/v1/users/${hex(r, 8)}-${hex(r, 4)}/profiles`,
  ])();
  const host = (): string => pick(r, [
    () => `${pick(r, ['checkout', 'cart', 'web', 'payments'])}-${hex(r, 5)}.shop.svc.cluster.local`,
    () => `${pick(r, ['Checkout.Shop', 'checkout.shop', 'api.github.com', 'example.com'])}`,
    () => `ip-10-0-${Math.floor(r() * 255)}-${Math.floor(r() * 255)}.eu-west-1.compute.internal`,
  ])();
  return Array.from({ length: 1000 }, (_, i) => (i % 2 ? path() : host()));
}

export function shortCases(): MatchCase[] {
  const values = shortValues();
  const c = (pattern: string): MatchCase => ({ label: pattern, pattern, values, reps: 50_000, nativeSafe: true });
  return [
    c('healthz'),
    c('^/api/v[12]/'),
    c('orders$'),
    c('v[12]/.*s$'),
    c('^/api/v\\d+/orders/\\d+$'),
    c('/(orders|cart)/\\d+'),
    c('(?i)checkout\\.shop'),
    c('\\.svc\\.cluster\\.local$'),
    c('^[a-z0-9-]+\\.shop\\.svc\\.cluster\\.local$'),
  ];
}

/** A 64 KiB JSON array of order objects (no `needle`, no error words, small quantities). */
function body(seed: number): string {
  const r = rng(seed);
  const items: string[] = [];
  let size = 2;
  while (size < KIB64 - 200) {
    const item = `{"id":${Math.floor(r() * 1e6)},"user_id":"${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}","sku":"${hex(r, 2)}-${Math.floor(r() * 99)}","qty":${1 + Math.floor(r() * 20)},"price":${(r() * 100).toFixed(2)},"note":"${pick(r, ['gift wrap', 'leave at door', 'call first', ''])}"}`;
    items.push(item);
    size += item.length + 1;
  }
  const text = `[${items.join(',')}]`;
  return text + ' '.repeat(KIB64 - text.length);
}

export function longCases(): MatchCase[] {
  const values = [1, 2, 3, 4].map(body);
  const c = (pattern: string, label = pattern): MatchCase => ({ label, pattern, values, reps: 40, nativeSafe: true });
  return [
    c('needle'),
    c('"qty":\\s*\\d{3,}'),
    c('(?i)exception'),
    c('"status":\\s*"fail(ed|ure)"'),
    c('\\d{1,3}(\\.\\d{1,3}){3}'),
    c('error.*timeout'),
    c('"user_id":"[0-9a-f-]{36}"', '"user_id":"[0-9a-f-]{36}" (found early)'),
    c('\\]\\s*$', '\\]\\s*$ (found at the end)'),
  ];
}

export function adversarialCases(): MatchCase[] {
  const xs = ['x'.repeat(KIB64)];
  const as = [`${'a'.repeat(KIB64 - 1)}!`];
  const c = (pattern: string, values: readonly string[], label: string): MatchCase => ({ label, pattern, values, reps: 5, nativeSafe: false });
  return [
    c('(a+)+$', xs, '(a+)+$'),
    c('(a+)+$', as, '(a+)+$ on "a"×64Ki + "!"'),
    c('a+$', as, 'a+$ (same language) on "a"…"!"'),
    c('(x*)*y', xs, '(x*)*y'),
    c('x*y', xs, 'x*y (same language)'),
    c('x*x*y', xs, 'x*x*y'),
  ];
}

export function linearCases(): MatchCase[] {
  const input = ['x'.repeat(1 << 20)];
  return ['x*y', '.*a.*b', 'x*x*x*y', '[a-z]+[a-z]+y', '(?i)X+Y', '^(x|y|z)*w$', '\\w+@\\w+'].map((pattern) => ({ label: pattern, pattern, values: input, reps: 3, nativeSafe: false }));
}
