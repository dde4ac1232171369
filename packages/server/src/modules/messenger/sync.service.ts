import { type Since, SinceSchema, type SyncRequest, SyncRequestSchema, type SyncResult } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { conversationEventsRepo, type EventRow } from './conversation-events.repo.js';
import { conversationsRepo } from './conversations.repo.js';
import { type MessengerDeps, toEvents } from './messenger.shared.js';

/** The cursor is base64url JSON of `{ conversationId: lastSeq }`: opaque to clients, stateless for us. */
export function encodeSyncCursor(positions: Since): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

export function decodeSyncCursor(cursor: string): Since {
  try {
    return SinceSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
  } catch {
    throw new AppError('invalid_cursor', 'the sync cursor is not valid; sync without one to start over');
  }
}

/** `id:seq,id:seq` as the REST query carries `since`. */
export function parseSinceParam(value: string | undefined): Since | undefined {
  if (!value) return undefined;
  const out: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [id, seq] = part.split(':');
    out[id ?? ''] = Number(seq);
  }
  const parsed = SinceSchema.safeParse(out);
  if (!parsed.success)
    throw new AppError('invalid_cursor', '`since` must be conversationId:seq pairs separated by commas');
  return parsed.data;
}

/**
 * Resume: every kept event after the caller's position, per conversation in seq order, paged. Everything is
 * read from the database, so it answers the same after a restart or on another node.
 */
export function syncService(deps: MessengerDeps) {
  const { platform } = deps;
  const db = platform.database.db;
  const repo = conversationsRepo(db);
  const eventLog = conversationEventsRepo(db);

  return {
    async sync(actor: Actor, input: SyncRequest = {}): Promise<SyncResult> {
      const req = SyncRequestSchema.parse(input);
      const positions: Since = { ...(req.cursor ? decodeSyncCursor(req.cursor) : {}) };
      for (const [id, seq] of Object.entries(req.since ?? {})) positions[id] = Math.max(positions[id] ?? 0, seq);

      const memberships = await repo.membershipsOf(actor.orgId, actor.userId);
      const mine = new Set(memberships.map((m) => m.conversationId));
      const removed = Object.keys(positions).filter((id) => !mine.has(id));
      const next: Since = {};
      const resetRequired: SyncResult['resetRequired'] = [];
      const pending: { conversationId: string; lastSeq: number }[] = [];
      const added: string[] = [];
      for (const m of memberships) {
        if (positions[m.conversationId] === undefined) added.push(m.conversationId);
        const from = positions[m.conversationId] ?? 0;
        // Too far behind (or ahead: a cursor from another database) — sync will not serve it; reload instead.
        if (from > m.lastSeq || m.lastSeq - from > platform.config.messengerSyncMaxGap) {
          resetRequired.push({ conversationId: m.conversationId, lastSeq: m.lastSeq });
          next[m.conversationId] = m.lastSeq;
          continue;
        }
        next[m.conversationId] = from;
        if (from < m.lastSeq) pending.push(m);
      }

      const rows: EventRow[] = [];
      for (const m of pending) {
        const room = req.limit - rows.length;
        if (room <= 0) break;
        const page = await eventLog.eventsAfter(actor.orgId, m.conversationId, next[m.conversationId] ?? 0, room);
        rows.push(...page);
        const last = page.at(-1);
        if (last) next[m.conversationId] = Number(last.seq);
      }
      return {
        events: await toEvents(db, actor.orgId, rows),
        cursor: encodeSyncCursor(next),
        hasMore: pending.some((m) => (next[m.conversationId] ?? 0) < m.lastSeq),
        resetRequired,
        removed,
        added,
      };
    },
  };
}
export type SyncService = ReturnType<typeof syncService>;
