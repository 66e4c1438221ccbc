/**
 * How a failed procfs read is classified. A pid that vanished mid-scan (ENOENT, ESRCH) is normal churn;
 * a refused read (EACCES, EPERM) is a protected pid; anything else is an error worth counting by code.
 */
export type ReadFailure = 'vanished' | 'denied' | 'error';

/** A failed procfs read, carrying the errno code and its classification. Thrown by `ProcfsReader`. */
export class ProcfsReadError extends Error {
  readonly kind: ReadFailure;
  readonly errno: string;

  constructor(path: string, errno: string, cause?: unknown) {
    super(`cannot read ${path}: ${errno}`, { cause });
    this.name = 'ProcfsReadError';
    this.errno = errno;
    this.kind = classifyErrno(errno);
  }
}

/** Classify an errno code (`ENOENT`, ...). ESRCH and ENOENT mean the process is gone. */
export function classifyErrno(errno: string): ReadFailure {
  switch (errno) {
    case 'ENOENT':
    case 'ESRCH':
    case 'ENOTDIR':
      return 'vanished';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    default:
      return 'error';
  }
}

/** Wrap a Node fs error (or anything thrown) as a `ProcfsReadError` for `path`. */
export function toReadError(path: string, err: unknown): ProcfsReadError {
  if (err instanceof ProcfsReadError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'EIO';
  return new ProcfsReadError(path, code, err);
}
