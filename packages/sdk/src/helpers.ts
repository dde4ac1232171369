/** Timers the helpers use (tests pass fake ones). */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Typing indicator for an input box: call `keystroke` on every key press. The first key sends `typing: true`
 * at once, later keys refresh it at most once per `debounceMs` (1 s; the server forgets a typist after 5 s),
 * and `typing: false` goes out after `idleMs` (3 s) without a key, or at once on `stop` (e.g. on send).
 *
 * @example
 * ```ts
 * input.addEventListener('input', () => client.typing.keystroke(conversationId));
 * form.addEventListener('submit', () => client.typing.stop(conversationId));
 * ```
 */
export class TypingHelper {
  private readonly state = new Map<string, { lastSent: number; stopTimer: unknown }>();

  constructor(
    private readonly emit: (conversationId: string, typing: boolean) => void,
    private readonly opts: { debounceMs: number; idleMs: number } = { debounceMs: 1000, idleMs: 3000 },
    private readonly timers: Timers = realTimers,
  ) {}

  keystroke(conversationId: string): void {
    const now = this.timers.now();
    const s = this.state.get(conversationId);
    if (!s || now - s.lastSent >= this.opts.debounceMs) this.emit(conversationId, true);
    if (s) this.timers.clearTimeout(s.stopTimer);
    const lastSent = !s || now - s.lastSent >= this.opts.debounceMs ? now : s.lastSent;
    const stopTimer = this.timers.setTimeout(() => this.stop(conversationId), this.opts.idleMs);
    this.state.set(conversationId, { lastSent, stopTimer });
  }

  stop(conversationId: string): void {
    const s = this.state.get(conversationId);
    if (!s) return;
    this.timers.clearTimeout(s.stopTimer);
    this.state.delete(conversationId);
    this.emit(conversationId, false);
  }

  /** Is a `typing: true` outstanding for this conversation? */
  isTyping(conversationId: string): boolean {
    return this.state.has(conversationId);
  }
}

/**
 * Read marking: `mark(conversationId, seq)` moves the read position forward only, and coalesces calls made while
 * one is on the wire into one follow-up with the highest seq (scrolling through 200 messages sends 2 requests,
 * not 200).
 *
 * @example
 * ```ts
 * const reads = new ReadMarker((id, seq) => client.api.messages.markRead(id, seq));
 * await reads.mark(conversationId, lastVisibleSeq);
 * ```
 */
export class ReadMarker {
  private readonly sent = new Map<string, number>();
  private readonly wanted = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly send: (conversationId: string, seq: number) => Promise<unknown>) {}

  mark(conversationId: string, seq: number): Promise<void> {
    if (seq <= Math.max(this.sent.get(conversationId) ?? 0, this.wanted.get(conversationId) ?? 0)) {
      return this.inflight.get(conversationId) ?? Promise.resolve();
    }
    this.wanted.set(conversationId, seq);
    const running = this.inflight.get(conversationId);
    if (running) return running;
    const run = (async () => {
      try {
        for (;;) {
          const target = this.wanted.get(conversationId) ?? 0;
          if (target <= (this.sent.get(conversationId) ?? 0)) break;
          try {
            await this.send(conversationId, target);
          } catch (err) {
            // Let the next mark try again instead of believing the position moved.
            this.wanted.set(conversationId, this.sent.get(conversationId) ?? 0);
            throw err;
          }
          this.sent.set(conversationId, Math.max(target, this.sent.get(conversationId) ?? 0));
        }
      } finally {
        this.inflight.delete(conversationId);
      }
    })();
    this.inflight.set(conversationId, run);
    return run;
  }

  /** The highest seq confirmed read by the server through this helper. */
  lastMarked(conversationId: string): number {
    return this.sent.get(conversationId) ?? 0;
  }
}
