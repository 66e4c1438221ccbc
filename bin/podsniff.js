#!/usr/bin/env node
// Entry point of the `podsniff` command: runs the compiled CLI from dist/ (built by `npm install`).
// It imports the start-up module only: for `worker` and `local` that one listens and answers the
// probes before the rest of podsniff is loaded (see src/cli/boot.ts).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/boot.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('podsniff: dist/ is missing; run `npm install` (or `npm run build`) in the repository first\n');
  process.exit(2);
}
const { boot } = await import(entry.href);
await boot(process.argv);
