import { type SearchHit, type SearchQuery, SearchQuerySchema, STAFF_ROLES } from '@switchboard/protocol';
import { sql } from 'kysely';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';

/** Words of a query: letters and digits only, so nothing of the query syntax of either database gets through. */
const wordsOf = (q: string) => (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);

interface Row {
  messageId: string;
  conversationId: string;
  conversationKind: SearchHit['conversationKind'];
  conversationName: string | null;
  seq: number | string;
  senderId: string;
  snippet: string;
  createdAt: number | string;
}

/**
 * Full-text search over message texts (SQLite FTS5 / PostgreSQL tsvector, migration 1030): every word must
 * appear, as a word or the start of one; newest first. Who may find what is decided in the query itself:
 * the messenger scope joins the caller's memberships, the support scope is the org's support conversations
 * and staff only; deleted messages are left out.
 */
export function messageSearch(platform: Platform) {
  const { db, dialect } = platform.database;
  return {
    async search(actor: Actor, input: SearchQuery): Promise<SearchHit[]> {
      const { q, scope, limit } = SearchQuerySchema.parse(input);
      if (scope === 'support' && !(STAFF_ROLES as readonly string[]).includes(actor.role))
        throw new AppError('forbidden', 'only staff search support conversations');
      const words = wordsOf(q);
      if (!words.length) return [];
      const allowed =
        scope === 'support'
          ? sql`c.kind = 'support'`
          : sql`c.kind <> 'support' and exists (select 1 from conversation_members cm
              where cm.conversation_id = m.conversation_id and cm.user_id = ${actor.userId})`;
      const columns = sql`m.id as message_id, m.conversation_id, c.kind as conversation_kind,
        c.name as conversation_name, m.seq, m.sender_id, m.created_at`;
      const query =
        dialect === 'sqlite'
          ? sql<Row>`select ${columns}, snippet(messages_fts, 0, '[', ']', '…', 12) as snippet
              from messages_fts join messages m on m.rowid = messages_fts.rowid
              join conversations c on c.id = m.conversation_id
              where messages_fts match ${words.map((w) => `"${w}"*`).join(' ')}
                and m.org_id = ${actor.orgId} and m.deleted_at is null and ${allowed}
              order by m.created_at desc limit ${limit}`
          : sql<Row>`select ${columns},
                ts_headline('simple', m.text, query, 'StartSel=[, StopSel=], MaxWords=24, MinWords=6') as snippet
              from messages m join conversations c on c.id = m.conversation_id,
                to_tsquery('simple', ${words.map((w) => `${w}:*`).join(' & ')}) query
              where to_tsvector('simple', coalesce(m.text, '')) @@ query
                and m.org_id = ${actor.orgId} and m.deleted_at is null and ${allowed}
              order by m.created_at desc limit ${limit}`;
      const { rows } = await query.execute(db);
      return rows.map((r) => ({
        conversationId: r.conversationId,
        conversationKind: r.conversationKind,
        conversationName: r.conversationName,
        messageId: r.messageId,
        seq: Number(r.seq),
        senderId: r.senderId,
        snippet: r.snippet,
        createdAt: Number(r.createdAt),
      }));
    },
  };
}
export type MessageSearch = ReturnType<typeof messageSearch>;
