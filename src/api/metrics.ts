/**
 * Prometheus metrics (prom-client), every name prefixed `podsniff_`. Gauges are read from the connection
 * service at scrape time; pass durations and failure counts are pushed by the composition root after each
 * scan pass. Loaded after the server listens: prom-client costs ~50 ms of CPU to import.
 */
import client from 'prom-client';
import type { CaptureCounters, ConnectionService, ScanCounters } from '../model/index.js';
import type { ApiServer, HttpCounters } from './http-server.js';
import type { EventLoopMonitor } from './health.js';

/** What the store metrics read. */
export interface StoreCounters {
  entries: number;
  bytes: number;
  packetBytes: number;
  dropped: { size: number; age: number };
  writeFailures: number;
}

/** Metrics of one worker. */
export class WorkerMetrics {
  readonly registry = new client.Registry();
  private readonly passDuration: client.Histogram<'pass'>;
  private readonly vanished: client.Counter;
  private readonly scanErrors: client.Counter<'kind'>;

  /** `service` is null when there is no connection table (replaying a file). */
  constructor(service: ConnectionService | null, loop: EventLoopMonitor) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, prefix: 'podsniff_' });
    this.passDuration = new client.Histogram({
      name: 'podsniff_scan_duration_seconds',
      help: 'Wall time of connection-table passes (full scan, incremental refresh, lookup)',
      labelNames: ['pass'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.vanished = new client.Counter({ name: 'podsniff_scan_vanished_pids_total', help: 'Pids that exited while being read (normal churn)', registers });
    this.scanErrors = new client.Counter({ name: 'podsniff_scan_errors_total', help: 'Failed procfs reads by kind (denied or errno)', labelNames: ['kind'], registers });
    const gauge = (name: string, help: string, read: () => number): void => {
      new client.Gauge({ name, help, registers, collect() { this.set(read()); } });
    };
    if (service) {
      gauge('podsniff_sockets', 'Sockets in the connection table', () => service.status().table.sockets);
      gauge('podsniff_namespaces', 'Network namespaces in the connection table', () => service.status().table.namespaces);
      gauge('podsniff_processes', 'Processes holding at least one socket', () => service.status().table.processes);
      gauge('podsniff_scan_full_total', 'Full scans finished', () => service.status().fullScans);
      gauge('podsniff_scan_in_progress', '1 while the first full scan runs', () => (service.status().phase === 'scanning' ? 1 : 0));
    }
    gauge('podsniff_event_loop_delay_p99_seconds', 'Event-loop delay p99 since start', () => loop.snapshot().p99 / 1000);
    gauge('podsniff_event_loop_delay_max_seconds', 'Event-loop delay max since start', () => loop.snapshot().max / 1000);
  }

  /** Record a finished pass. */
  observePass(kind: string, durationMs: number, counters: ScanCounters): void {
    this.passDuration.observe({ pass: kind }, durationMs / 1000);
    if (counters.vanishedPids) this.vanished.inc(counters.vanishedPids);
    if (counters.deniedPids) this.scanErrors.inc({ kind: 'denied' }, counters.deniedPids);
    for (const [errno, n] of Object.entries(counters.errors)) this.scanErrors.inc({ kind: errno }, n);
  }

  /** Export live-capture counters, read from `read` at scrape time. */
  registerCapture(read: () => CaptureCounters): void {
    const registers = [this.registry];
    const counter = (name: string, help: string, pick: (c: CaptureCounters) => number, labels: Record<string, string> = {}): void => {
      new client.Counter({
        name,
        help,
        labelNames: Object.keys(labels),
        registers,
        collect() {
          this.reset();
          this.inc(labels, pick(read()));
        },
      });
    };
    counter('podsniff_capture_packets_total', 'Frames the kernel handed to the capture', (c) => c.packetsReceived);
    new client.Counter({
      name: 'podsniff_capture_dropped_packets_total',
      help: 'Frames lost: by the kernel (buffer full), the interface, or podsniff itself',
      labelNames: ['by'],
      registers,
      collect() {
        const c = read();
        this.reset();
        this.inc({ by: 'kernel' }, c.packetsDroppedKernel);
        this.inc({ by: 'interface' }, c.packetsDroppedInterface);
        this.inc({ by: 'podsniff' }, c.packetsDroppedOwn);
      },
    });
    counter('podsniff_capture_bytes_total', 'Wire bytes of processed frames', (c) => c.bytes);
    counter('podsniff_streams_total', 'TCP connections and UDP flows seen', (c) => c.streamsTotal);
    counter('podsniff_reassembly_gaps_total', 'Gaps declared by TCP reassembly', (c) => c.gaps);
    counter('podsniff_reassembly_lost_bytes_total', 'Bytes lost in reassembly gaps', (c) => c.bytesLost);
    counter('podsniff_anomalies_total', 'Anomalies seen by dissectors and reassembly', (c) => c.anomalies);
    counter('podsniff_entries_dropped_total', 'Entries dropped because the API side fell behind the capture', (c) => c.entriesDropped);
    new client.Gauge({ name: 'podsniff_streams_live', help: 'TCP connections and UDP flows tracked now', registers, collect() { this.set(read().streamsLive); } });
    new client.Counter({
      name: 'podsniff_entries_total',
      help: 'Entries (API calls) produced, by protocol',
      labelNames: ['protocol'],
      registers,
      collect() {
        this.reset();
        for (const [protocol, n] of Object.entries(read().entriesByProtocol)) this.inc({ protocol }, n);
      },
    });
  }

  /** Export the entry store's size and retention counters, read at scrape time. */
  registerStore(read: () => StoreCounters): void {
    const registers = [this.registry];
    new client.Gauge({ name: 'podsniff_store_entries', help: 'Entries held in the store', registers, collect() { this.set(read().entries); } });
    new client.Gauge({ name: 'podsniff_store_bytes', help: 'Bytes held in the store (entries and packets)', registers, collect() { this.set(read().bytes); } });
    new client.Gauge({ name: 'podsniff_store_packet_bytes', help: 'Bytes of packets held for pcap export', registers, collect() { this.set(read().packetBytes); } });
    new client.Counter({
      name: 'podsniff_store_dropped_entries_total',
      help: 'Entries removed by retention, oldest first: over the size limit or the age limit',
      labelNames: ['reason'],
      registers,
      collect() {
        const c = read();
        this.reset();
        this.inc({ reason: 'size' }, c.dropped.size);
        this.inc({ reason: 'age' }, c.dropped.age);
      },
    });
    new client.Counter({ name: 'podsniff_store_write_failures_total', help: 'Batches the store refused (disk full, I/O error); their entries are lost', registers, collect() { this.reset(); this.inc(read().writeFailures); } });
  }

  /** Export the API's answers by outcome, read at scrape time. */
  registerHttp(read: () => HttpCounters): void {
    const registers = [this.registry];
    new client.Counter({
      name: 'podsniff_http_responses_total',
      help: 'API responses by status class',
      labelNames: ['class'],
      registers,
      collect() {
        this.reset();
        for (const [cls, n] of Object.entries(read().responses)) this.inc({ class: cls }, n);
      },
    });
    const counter = (name: string, help: string, pick: (c: HttpCounters) => number): void => {
      new client.Counter({ name, help, registers, collect() { this.reset(); this.inc(pick(read())); } });
    };
    counter('podsniff_http_refused_total', 'Requests refused by the access policy (Host, Origin, token)', (c) => c.refused);
    counter('podsniff_http_internal_errors_total', 'Requests answered 500 E_INTERNAL (a podsniff bug; see the log)', (c) => c.internalErrors);
    counter('podsniff_http_malformed_requests_total', 'Requests the HTTP parser rejected (malformed, headers too large, too slow)', (c) => c.malformed);
  }

  /** Export the count of errors nothing caught (logged with E_UNCAUGHT), read at scrape time. */
  registerUncaught(read: () => Record<'exception' | 'rejection', number>): void {
    new client.Counter({
      name: 'podsniff_uncaught_errors_total',
      help: 'Errors nothing caught (logged with code E_UNCAUGHT); the process went on',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const c = read();
        this.reset();
        this.inc({ kind: 'exception' }, c.exception);
        this.inc({ kind: 'rejection' }, c.rejection);
      },
    });
  }

  /** Serve `/metrics`. */
  register(server: ApiServer): void {
    server.get('/metrics', async () => ({ body: await this.registry.metrics(), contentType: this.registry.contentType }));
  }
}
