/** The wire contract as the dashboard sees it: type-only re-exports of `src/model` (the only allowed import). */
export type {
  EntryListItem,
  EntryPage,
  EntryDetail,
  QueryCheck,
  QueryErrorInfo,
  QueryField,
  ServiceMap,
  ServiceNode,
  ServiceEdge,
  StreamMessage,
  LocalStatus,
} from '../../src/model/api-types.js';
export type { Entry, EntryEndpoint, HttpEntry, DnsEntry, ProtocolName } from '../../src/model/entry.js';
export type { Header, DnsMessageDetail, DnsRecord, DnsQuestion } from '../../src/model/messages.js';
export type { Body } from '../../src/model/body.js';
export type { Anomaly } from '../../src/model/anomaly.js';
