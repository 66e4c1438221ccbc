/** Typed DNS decoding errors. Codes are stable; they appear in anomaly details. */

export type DnsErrorCode = 'DNS_SHORT' | 'DNS_MALFORMED';

/** A DNS message that cannot be decoded. */
export class DnsError extends Error {
  constructor(
    readonly code: DnsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }

  get detail(): string {
    return `${this.code}: ${this.message}`;
  }
}
