import fs from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import type { Latency } from './types.js';

/** Latencies in microseconds, 1 µs … 120 s at 3 significant digits; slower values are clamped to the top. */
const HIGHEST_US = 120_000_000;

export class LatencyHistogram {
  private readonly h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
  });

  recordMs(ms: number): void {
    this.h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.h.totalCount;
  }

  summary(): Latency | null {
    if (this.h.totalCount === 0) return null;
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: this.h.totalCount,
      p50: ms(this.h.getValueAtPercentile(50)),
      p95: ms(this.h.getValueAtPercentile(95)),
      p99: ms(this.h.getValueAtPercentile(99)),
      max: ms(this.h.maxValue),
      mean: ms(this.h.mean),
    };
  }
}

/** Which seqs of one conversation one receiver holds, as a bitmap from the conversation's start seq. */
class SeqWindow {
  bits = new Uint8Array(64);
  maxSeen = 0;
  constructor(readonly startSeq: number) {}

  /** `'new'`, `'dup'` or `'old'` (a seq at or below the start: not part of this run). */
  mark(seq: number): 'new' | 'dup' | 'old' {
    const i = seq - this.startSeq - 1;
    if (i < 0) return 'old';
    if (i >= this.bits.length) {
      let size = this.bits.length;
      while (size <= i) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bits);
      this.bits = grown;
    }
    if (this.bits[i]) return 'dup';
    this.bits[i] = 1;
    return 'new';
  }

  has(seq: number): boolean {
    const i = seq - this.startSeq - 1;
    return i >= 0 && i < this.bits.length && this.bits[i] === 1;
  }
}

/**
 * `BENCH_TIMELINE=/path`: every acked send's scheduled wall-clock time (epoch ms) and ack latency, written to
 * `/path-<pid>.txt` when the run ends, one `time latency` line each (bench/src/episodes.mjs reads it).
 */
const timelineFile = process.env.BENCH_TIMELINE;
const timeline: number[] = [];
if (timelineFile)
  process.on('exit', () => {
    const lines: string[] = [];
    for (let i = 0; i < timeline.length; i += 2)
      lines.push(`${Math.round(timeline[i] as number)} ${(timeline[i + 1] as number).toFixed(1)}`);
    fs.writeFileSync(`${timelineFile}-${process.pid}.txt`, lines.join('\n'));
  });

/**
 * Counts every delivery at every receiver: latency from the scheduled send time (open loop, so a stalled
 * server shows as latency rather than as fewer sends), and per (receiver, conversation) which seqs arrived,
 * so lost, duplicated and reordered deliveries can be counted at the end.
 */
export class DeliveryTracker {
  readonly latency = new LatencyHistogram();
  readonly ackLatency = new LatencyHistogram();
  received = 0;
  duplicated = 0;
  reordered = 0;
  /** Events applied from a resume (sync) rather than live. */
  resumed = 0;
  scheduled = 0;
  acked = 0;
  failed = 0;
  private readonly windows = new Map<string, SeqWindow>();
  /** Per conversation: the highest seq acked to a sender, and the members who should hear it. */
  private readonly convs = new Map<string, { startSeq: number; maxAcked: number; receivers: Set<number> }>();
  /** Live deliveries are only counted (latency, received) while recording; warm-up traffic is not. */
  recording = true;
  /** Monotonic times of the last ack and the last live delivery, for rates over the real span. */
  lastAckAt = 0;
  lastLiveAt = 0;

  addConversation(id: string, startSeq: number, receivers: Iterable<number>): void {
    this.convs.set(id, { startSeq, maxAcked: startSeq, receivers: new Set(receivers) });
  }

  private window(receiver: number, conversationId: string): SeqWindow | undefined {
    const key = `${receiver}:${conversationId}`;
    let w = this.windows.get(key);
    if (!w) {
      const c = this.convs.get(conversationId);
      if (!c) return undefined;
      w = new SeqWindow(c.startSeq);
      this.windows.set(key, w);
    }
    return w;
  }

  /** A send was scheduled (counted whether or not it is acked). */
  sent(): void {
    this.scheduled++;
  }

  ackOk(conversationId: string, seq: number, scheduledAt: number, now: number): void {
    this.acked++;
    if (timelineFile) timeline.push(Date.now() - (performance.now() - scheduledAt), now - scheduledAt);
    this.lastAckAt = now;
    this.ackLatency.recordMs(now - scheduledAt);
    const c = this.convs.get(conversationId);
    if (c && seq > c.maxAcked) c.maxAcked = seq;
  }

  /**
   * A send that was refused or timed out. Its time so far goes into the ack histogram too (a timeout at
   * least as its timeout): leaving it out would make an overloaded server look faster than one that keeps up.
   */
  ackFailed(scheduledAt?: number, now?: number): void {
    this.failed++;
    if (scheduledAt !== undefined && now !== undefined) this.ackLatency.recordMs(now - scheduledAt);
  }

  /** A live `message.new` at `receiver`; `scheduledAt` parsed from the message text. */
  live(receiver: number, conversationId: string, seq: number, scheduledAt: number | undefined, now: number): void {
    const w = this.window(receiver, conversationId);
    if (!w) return;
    const r = w.mark(seq);
    if (r === 'old') return;
    if (r === 'dup') {
      this.duplicated++;
      return;
    }
    if (seq < w.maxSeen) this.reordered++;
    else w.maxSeen = seq;
    this.received++;
    this.lastLiveAt = now;
    if (this.recording && scheduledAt !== undefined) this.latency.recordMs(now - scheduledAt);
  }

  /** An event applied from a sync after a reconnect. */
  synced(receiver: number, conversationId: string, seq: number): void {
    const w = this.window(receiver, conversationId);
    if (!w) return;
    const r = w.mark(seq);
    if (r === 'new') {
      this.resumed++;
      if (seq > w.maxSeen) w.maxSeen = seq;
    }
  }

  /** Deliveries every receiver should hold: every seq up to the highest acked one, in every conversation. */
  expected(): number {
    let n = 0;
    for (const c of this.convs.values()) n += (c.maxAcked - c.startSeq) * c.receivers.size;
    return n;
  }

  /** Seqs (up to the highest acked one) that a receiver holds neither live nor from a resume. */
  lost(): number {
    let missing = 0;
    for (const [id, c] of this.convs) {
      for (const r of c.receivers) {
        const w = this.windows.get(`${r}:${id}`);
        for (let s = c.startSeq + 1; s <= c.maxAcked; s++) if (!w?.has(s)) missing++;
      }
    }
    return missing;
  }

  /** True once every acked seq has reached every receiver (or was delivered beyond). */
  complete(): boolean {
    return this.received + this.resumed >= this.expected();
  }

  /** The highest seq `receiver` holds with nothing missing below it: what an SDK resumes from. */
  contiguous(receiver: number, conversationId: string): number {
    const c = this.convs.get(conversationId);
    if (!c) return 0;
    const w = this.windows.get(`${receiver}:${conversationId}`);
    let s = c.startSeq;
    while (w?.has(s + 1)) s++;
    return s;
  }

  /** The highest seq any send of this conversation was acked with. */
  maxAcked(conversationId: string): number {
    return this.convs.get(conversationId)?.maxAcked ?? 0;
  }
}

/** Message text that carries the generator's scheduled send time (monotonic ms) to every receiver. */
export function stamp(scheduledAt: number, i: number): string {
  return `bench ${i} ${scheduledAt.toFixed(3)}`;
}

export function unstamp(text: string | null | undefined): number | undefined {
  if (!text?.startsWith('bench ')) return undefined;
  const v = Number(text.slice(text.lastIndexOf(' ') + 1));
  return Number.isFinite(v) ? v : undefined;
}
