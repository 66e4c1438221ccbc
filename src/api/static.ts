/**
 * Serves the built dashboard (`ui/dist`) at `/`: files by path, `index.html` for `/` and for any other
 * path that is not a file (client-side routes). Files are read once and kept in memory (the bundle is
 * small); paths are resolved inside the directory only. When the dashboard was not built, `/` says how
 * to build it instead of a bare 404.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { ApiServer, Reply } from './http-server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export function registerDashboard(server: ApiServer, dir: string): void {
  const files = loadFiles(dir);
  const index = files.get('/index.html');
  const notBuilt: Reply = {
    status: 503,
    body: `The dashboard is not built (no ${join(dir, 'index.html')}). Run: npm run build\n`,
  };
  server.getPrefix('/', (url) => {
    if (url.pathname.startsWith('/api/')) return { status: 404, body: { error: { code: 'E_NOT_FOUND', message: `no route ${url.pathname}` } } };
    const file = files.get(url.pathname);
    if (file) return file;
    return index ?? notBuilt;
  });
}

function loadFiles(dir: string): Map<string, Reply> {
  const files = new Map<string, Reply>();
  if (!existsSync(dir)) return files;
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(`/${relative(dir, path).split('\\').join('/')}`, fileReply(path));
    }
  };
  walk(dir);
  return files;
}

function fileReply(path: string): Reply {
  const hashed = /[-.][A-Za-z0-9_-]{8,}\.(js|css)$/.test(path);
  return {
    body: readFileSync(path),
    contentType: TYPES[extname(path)] ?? 'application/octet-stream',
    headers: { 'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache' },
  };
}
