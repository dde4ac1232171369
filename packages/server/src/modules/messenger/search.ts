import { type SearchHit, type SearchQuery, SearchQuerySchema, STAFF_ROLES } from '@switchboard/protocol';
import { sql } from 'kysely';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { usersService } from '../users/users.service.js';
import { type SearchIndex, searchIndex } from './search-index.js';

/** Words of a query: letters and digits only, so nothing of the query syntax of either database gets through. */
const wordsOf = (q: string) => (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);

/** `text` with each occurrence of the words between `[` and `]`, as the databases mark message snippets. */
const markWords = (text: string, words: string[]) => text.replace(new RegExp(`(${words.join('|')})`, 'giu'), '[$1]');

/** Support conversations looked at for customer matches: the newest customers' first. */
const CUSTOMERS_SEARCHED = 200;
/** How much of a customer match's latest message its snippet shows. */
const SAID_CHARS = 80;

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
 * and staff only; deleted messages are left out. The support scope also finds conversations by their
 * customer's name or email (the users service matches them), listed before the message hits. On SQLite the
 * index is first brought up to date with the messages stored since its last catch-up (search-index.ts).
 */
export function messageSearch(platform: Platform, index: SearchIndex = searchIndex(platform.database)) {
  const { db, dialect } = platform.database;
  const users = usersService(platform);

  /** Support conversations of the customers matching every word, each as its latest message. */
  async function byCustomer(orgId: string, words: string[], limit: number): Promise<SearchHit[]> {
    const customers = await users.customersMatching(orgId, words, CUSTOMERS_SEARCHED);
    if (!customers.length) return [];
    const byId = new Map(customers.map((c) => [c.id, c]));
    const { rows } = await sql<Row & { createdBy: string; text: string | null }>`select m.id as message_id,
        m.conversation_id, c.kind as conversation_kind, c.name as conversation_name, m.seq, m.sender_id,
        m.created_at, c.created_by, m.text, '' as snippet
      from conversations c join messages m on m.conversation_id = c.id
      where c.org_id = ${orgId} and c.kind = 'support'
        and c.created_by in (${sql.join(customers.map((c) => c.id))})
        and m.seq = (select max(l.seq) from messages l where l.conversation_id = c.id and l.deleted_at is null)
      order by m.created_at desc limit ${limit}`.execute(db);
    return rows.map((r) => {
      const who = byId.get(r.createdBy);
      // Who (matches marked) and what they said last, so several conversations of one customer differ.
      const label = markWords(who ? [who.displayName, who.email].filter(Boolean).join(' · ') : '', words);
      const said = (r.text ?? '').replace(/\s+/g, ' ').slice(0, SAID_CHARS);
      return { ...toHit(r), match: 'customer' as const, snippet: said ? `${label}: ${said}` : label };
    });
  }

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
      await index.catchUp();
      const { rows } = await query.execute(db);
      const messages = rows.map(toHit);
      if (scope !== 'support') return messages;
      return [...(await byCustomer(actor.orgId, words, limit)), ...messages].slice(0, limit);
    },
  };
}
export type MessageSearch = ReturnType<typeof messageSearch>;

function toHit(r: Row): SearchHit {
  return {
    match: 'message',
    conversationId: r.conversationId,
    conversationKind: r.conversationKind,
    conversationName: r.conversationName,
    messageId: r.messageId,
    seq: Number(r.seq),
    senderId: r.senderId,
    snippet: r.snippet,
    createdAt: Number(r.createdAt),
  };
}
