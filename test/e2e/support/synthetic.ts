/**
 * Browser-side helpers for the 100k-row test, passed to `page.evaluate` (they run in the page, so
 * they use only what the page has: `__podsniff`, the DOM).
 */

/** Injects `n` synthetic rows with cursors base..base+n-1 in batches; returns the buffer size. */
export function injectRows(args: { n: number; base: number }): number {
  const w = globalThis as any;
  const ep = (ip: string, port: number) => ({ ip, port, process: null, container: null, pod: null, netns: null, resolution: 'unresolved' });
  let size = 0;
  for (let start = 0; start < args.n; start += 10_000) {
    const batch = [];
    for (let i = start; i < Math.min(args.n, start + 10_000); i++) {
      const cursor = args.base + i;
      batch.push({
        cursor,
        id: `synthetic-${cursor}`,
        protocol: i % 7 === 0 ? 'dns' : 'http',
        transport: 'tcp',
        connectionId: `s${cursor}`,
        src: ep(`10.9.${(i >> 8) & 255}.${i & 255}`, 40000 + (i % 20000)),
        dst: ep('10.9.0.1', 8080),
        startedAt: new Date(1_800_000_000_000 + i).toISOString(),
        startedAtMs: 1_800_000_000_000 + i,
        elapsedMs: (i % 1000) / 10,
        requestSize: 100 + (i % 50),
        responseSize: 200 + (i % 900),
        summary: { method: i % 7 === 0 ? 'QUERY' : 'GET', target: `/synthetic/${cursor}`, statusCode: i % 7 === 0 ? null : 200 + (i % 4) * 100, status: i % 7 === 0 ? 'NOERROR' : String(200 + (i % 4) * 100) },
        anomalies: [],
      });
    }
    size = w.__podsniff.ingest(batch);
  }
  return size;
}

/** Scrolls the table through `frames` animation frames and returns each frame's duration in ms. */
export function scrollFrames(frames: number): Promise<number[]> {
  const d = (globalThis as any).document;
  const vp = d.querySelector('[data-testid=table-viewport]');
  const times: number[] = [];
  return new Promise((resolvePromise) => {
    let last = performance.now();
    let i = 0;
    const step = (t: number) => {
      times.push(t - last);
      last = t;
      vp.scrollTop = ((i * 7919) % frames) * (vp.scrollHeight / frames);
      if (++i < frames) (globalThis as any).requestAnimationFrame(step);
      else resolvePromise(times.slice(1));
    };
    (globalThis as any).requestAnimationFrame(step);
  });
}

/** Id of the row at the top edge of the table viewport. */
export function topRowId(): string | null {
  const d = (globalThis as any).document;
  const vp = d.querySelector('[data-testid=table-viewport]');
  const r = vp.getBoundingClientRect();
  return d.elementFromPoint(r.left + 20, r.top + 5)?.closest('.row')?.dataset.id ?? null;
}

/** Resolves after two animation frames (one render of the table). */
export function frames(): Promise<void> {
  const raf = (globalThis as any).requestAnimationFrame;
  return new Promise((r) => raf(() => raf(() => r())));
}
