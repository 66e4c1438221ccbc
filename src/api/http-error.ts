/**
 * `HttpError`: an error that maps to an HTTP status and a JSON body `{error: {code, message, ...details}}`.
 * Handlers throw it for the client's mistakes (4xx); the server turns anything else into a 500 with
 * `E_INTERNAL`. Codes are stable: clients may branch on them.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Extra response headers (e.g. `www-authenticate`, `retry-after`). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  /** The JSON body of this error. */
  body(): { error: Record<string, unknown> } {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}
