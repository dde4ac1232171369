import { randomUUID } from 'node:crypto';
import type { Ack, ConversationEvent, SendResult, SyncResult } from '@switchboard/protocol';
import type { Socket as ClientSocket } from 'socket.io-client';
import { connectSocket } from '../../../test/auth.js';
import { sleep } from './fixture.js';

const LIVE = ['message.new', 'message.updated', 'message.deleted', 'conversation.updated'] as const;

/**
 * A messenger client as a reliable SDK would behave, for the resume checker: it applies live and synced
 * events by seq (ignoring a seq it holds), reconnects after any disconnect and syncs from its contiguous
 * high-water mark, and resends unacknowledged messages with their original clientMsgId.
 */
export class ResumeClient {
  socket: ClientSocket | undefined;
  /** seq → identity of the event (type + message id): a second, different event at one seq is a bug. */
  readonly seen = new Map<number, string>();
  readonly conflicts: string[] = [];
  readonly acked = new Map<string, string>();
  readonly wireDuplicates = { count: 0 };
  /** Successful connections so far (1 + reconnects). */
  connects = 0;
  private hwm = 0;
  private stopped = false;
  private away = false;
  private connecting: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly token: string,
    readonly conversationId: string,
    private readonly url: () => string,
  ) {}

  private apply(e: ConversationEvent): void {
    if (e.conversationId !== this.conversationId || e.seq === 0) return;
    const id = `${e.type}:${e.message?.id ?? ''}`;
    const had = this.seen.get(e.seq);
    if (had === undefined) this.seen.set(e.seq, id);
    else if (had !== id) this.conflicts.push(`seq ${e.seq}: ${had} vs ${id}`);
    else this.wireDuplicates.count++;
    while (this.seen.has(this.hwm + 1)) this.hwm++;
  }

  /** Connect (retrying while the server is away) and catch up with sync. */
  connect(): Promise<void> {
    if (this.socket?.connected) return Promise.resolve();
    this.connecting ??= (async () => {
      for (;;) {
        if (this.stopped) return;
        try {
          const socket = await connectSocket(this.url(), this.token);
          for (const ev of LIVE) socket.on(ev, (e: ConversationEvent) => this.apply(e));
          socket.on('disconnect', () => {
            if (this.socket === socket) this.socket = undefined;
            if (!this.stopped && !this.away) setTimeout(() => void this.connect(), 5 + Math.random() * 50);
          });
          this.socket = socket;
          this.connects++;
          await this.catchUp();
          return;
        } catch {
          await sleep(20);
        }
      }
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Sync from the high-water mark until nothing is left. */
  async catchUp(): Promise<void> {
    let cursor: string | undefined;
    for (;;) {
      const s = this.socket;
      if (!s) throw new Error('not connected');
      const ack = (await s
        .timeout(5000)
        .emitWithAck(
          'sync',
          cursor ? { cursor, limit: 200 } : { since: { [this.conversationId]: this.hwm }, limit: 200 },
        )) as Ack<SyncResult>;
      if (!ack.ok) throw new Error(`sync failed: ${ack.error.code}`);
      for (const e of ack.data.events) this.apply(e);
      cursor = ack.data.cursor;
      if (!ack.data.hasMore) return;
    }
  }

  /** Send `n` messages one after another, each until acknowledged, resending with the same clientMsgId. */
  async sendMany(n: number, label: string): Promise<void> {
    for (let i = 0; i < n; i++) {
      const clientMsgId = randomUUID();
      const payload = { conversationId: this.conversationId, clientMsgId, text: `${label}:${i}` };
      for (;;) {
        const s = this.socket;
        if (!s?.connected) {
          await this.connect().catch(() => {});
          await sleep(5);
          continue;
        }
        try {
          const ack = (await s.timeout(3000).emitWithAck('message.send', payload)) as Ack<SendResult>;
          if (ack.ok) {
            this.acked.set(clientMsgId, ack.data.message.id);
            break;
          }
        } catch {
          // Lost with the connection: the same clientMsgId goes again.
        }
        await sleep(5);
      }
    }
  }

  /** Go offline and stay away until `comeBack()` (a phone in a tunnel). */
  goAway(): void {
    this.away = true;
    this.socket?.disconnect();
  }

  async comeBack(): Promise<void> {
    this.away = false;
    await this.connect();
  }

  /** Drop the connection abruptly (the client reconnects by itself). */
  drop(): void {
    this.socket?.disconnect();
  }

  hwmSeq(): number {
    return this.hwm;
  }

  close(): void {
    this.stopped = true;
    this.socket?.disconnect();
  }
}
