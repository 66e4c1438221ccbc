/**
 * Protocol-specific request and response details carried by entries. Dissectors build them; correlate
 * pairs them; the store, API and dashboard read them. Plain JSON data only.
 */
import type { Body } from './body.js';

/** A header as sent: original case, original order, duplicates kept. */
export type Header = readonly [name: string, value: string];

export interface HttpRequestDetail {
  readonly method: string;
  /** Request target as sent (origin-form path+query, absolute-form or authority-form). */
  readonly target: string;
  /** Path part of the target, without the query. */
  readonly path: string;
  readonly version: string;
  readonly headers: readonly Header[];
  /** Trailer fields of a chunked body. */
  readonly trailers: readonly Header[];
  readonly body: Body | null;
  /** `Host` header or the authority of an absolute-form target. */
  readonly host: string | null;
}

export interface HttpResponseDetail {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly headers: readonly Header[];
  readonly trailers: readonly Header[];
  readonly body: Body | null;
  /** Interim (1xx) responses that preceded this final response, e.g. `100 Continue`. */
  readonly interim: readonly { status: number; reason: string; headers: readonly Header[] }[];
  /** True for `101 Switching Protocols`: the connection left HTTP/1 after this response. */
  readonly upgraded: boolean;
}

export interface DnsQuestion {
  readonly name: string;
  /** Record type mnemonic (`A`, `AAAA`, ...) or `TYPE<n>` for unknown types. */
  readonly type: string;
  readonly class: string;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly class: string;
  readonly ttl: number;
  /** Record data as presentation text (`93.184.216.34`, `10 mail.example.com.`, ...). */
  readonly data: string;
}

export interface DnsMessageDetail {
  readonly id: number;
  readonly opcode: string;
  /** Response code mnemonic (`NOERROR`, `NXDOMAIN`, ...); for queries `NOERROR`. */
  readonly rcode: string;
  readonly flags: readonly string[];
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}
