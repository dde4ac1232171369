import { jittered } from './backoff.js';
import type { Signal } from './signals.js';

export interface PollerOptions {
  /** Default 3000 ms. */
  intervalMs: number;
  /** Default 400 ms: each wait is `intervalMs ± jitterMs`, so many clients do not poll in step. */
  jitterMs: number;
  poll(): Promise<void>;
  visible: Signal;
  online: Signal;
  random?: () => number;
}

/**
 * The HTTP fallback's heartbeat: calls `poll` every `intervalMs ± jitterMs` while started, pauses while the page
 * is hidden or the network is offline, and polls at once when both are back. Never runs two polls at once.
 *
 * @example
 * ```ts
 * const poller = new Poller({ intervalMs: 3000, jitterMs: 400, poll: () => sync(), visible, online });
 * poller.start();
 * ```
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = false;
  private running = false;
  private readonly unsubscribe: (() => void)[] = [];
  /** Completed polls since creation (tests and diagnostics). */
  polls = 0;

  constructor(private readonly opts: PollerOptions) {
    const onChange = () => {
      if (this.active && this.allowed()) this.tickSoon(0);
      else clearTimeout(this.timer);
    };
    this.unsubscribe.push(opts.visible.subscribe(onChange), opts.online.subscribe(onChange));
  }

  get started(): boolean {
    return this.active;
  }

  /** Paused: started, but the page is hidden or offline. */
  get paused(): boolean {
    return this.active && !this.allowed();
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.tickSoon(0);
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.timer);
  }

  close(): void {
    this.stop();
    for (const u of this.unsubscribe) u();
  }

  private allowed(): boolean {
    return this.opts.visible.get() && this.opts.online.get();
  }

  private tickSoon(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    if (!this.active || !this.allowed() || this.running) return;
    this.running = true;
    try {
      await this.opts.poll();
    } catch {
      // The next tick tries again; the poll reports its own errors.
    } finally {
      this.running = false;
      this.polls++;
    }
    if (this.active && this.allowed())
      this.tickSoon(jittered(this.opts.intervalMs, this.opts.jitterMs, this.opts.random));
  }
}
