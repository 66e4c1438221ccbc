#!/usr/bin/env node
// Entry point of the `podsniff` command: runs the compiled CLI from dist/ (built by `npm install`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('podsniff: dist/ is missing; run `npm install` (or `npm run build`) in the repository first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv);
