/**
 * Polls `GET /api/v1/overview` every 1.5 s for the status bar and the empty states, and tracks whether
 * the server is reachable (a failed poll means "unreachable, retrying").
 */
import { ApiError, fetchOverview } from '../api/client.js';
import type { LocalStatus } from '../types.js';
import { Observable } from './emitter.js';

export const POLL_MS = 1500;

export interface OverviewState {
  readonly status: LocalStatus | null;
  /** The last poll failed to reach the server (or got a gateway error). */
  readonly unreachable: boolean;
  readonly error: ApiError | null;
  readonly polls: number;
}

export class OverviewPoller {
  readonly state = new Observable<OverviewState>({ status: null, unreachable: false, error: null, polls: 0 });
  private timer: number | undefined;

  start(): void {
    void this.poll();
  }

  stop(): void {
    window.clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    const polls = this.state.get().polls + 1;
    try {
      const status = await fetchOverview();
      this.state.set({ status, unreachable: false, error: null, polls });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'E_NETWORK', String(err));
      this.state.set({ unreachable: e.unreachable, error: e, polls });
    }
    this.timer = window.setTimeout(() => void this.poll(), POLL_MS);
  }
}
