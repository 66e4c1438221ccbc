/**
 * vitest global setup: every test run gets its own temporary root (`TMPDIR`), removed at the end.
 * Processes the tests kill with SIGKILL (workers under a flood, crash tests) cannot remove their own
 * temporary stores; under this root they are removed with everything else. World-writable with the
 * sticky bit, like /tmp, so tests that drop to an unprivileged user can still create files. The
 * resource registry of simulated nodes stays in the machine's own temporary directory
 * (`PODSNIFF_HOST_TMPDIR`), where a later run finds what a crashed run left.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const host = tmpdir();
  const root = mkdtempSync(join(host, 'podsniff-test-'));
  chmodSync(root, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.PODSNIFF_HOST_TMPDIR = host;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
