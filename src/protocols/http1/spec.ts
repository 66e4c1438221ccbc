/** The HTTP/1 dissector's static description: TCP, common HTTP ports as hints, FIFO pairing. */
import type { DissectorSpec } from '../types.js';

/** Ports where HTTP/1 is common (hints only; content decides). */
export const HTTP1_PORTS: readonly number[] = Object.freeze([
  80, 8080, 8000, 8008, 8081, 8082, 8088, 8888, 3000, 4000, 5000, 5601, 8500, 9000, 9090, 9200, 9411, 15000,
]);

export const http1Spec: DissectorSpec = Object.freeze({
  id: 'http',
  transport: 'tcp',
  ports: HTTP1_PORTS,
  priority: 50,
  pairing: 'fifo',
});
