import { randomUUID } from 'node:crypto';
import {
  type AddMembers,
  AddMembersSchema,
  type Conversation,
  type ConversationList,
  type ConversationListQuery,
  ConversationListQuerySchema,
  ConversationNameSchema,
  type CreateConversation,
  CreateConversationSchema,
  type MemberRole,
} from '@switchboard/protocol';
import DataLoader from 'dataloader';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { usersService } from '../users/users.service.js';
import type { EventRow } from './conversation-events.repo.js';
import { type ConversationRow, conversationsRepo, isUniqueViolation, type MemberRow } from './conversations.repo.js';
import { type Members, memberListsOf } from './member-lists.js';
import { messagesRepo } from './messages.repo.js';
import { appendEvent, type MessengerDeps, publish, requireMember, toConversation } from './messenger.shared.js';

function encodeListCursor(row: { lastActivityAt: number; id: string }): string {
  return Buffer.from(`${row.lastActivityAt}:${row.id}`).toString('base64url');
}

function decodeListCursor(cursor: string): { lastActivityAt: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const lastActivityAt = Number(at);
  if (!id || !Number.isSafeInteger(lastActivityAt))
    throw new AppError('invalid_cursor', 'the list cursor is not valid');
  return { lastActivityAt, id };
}

/** Conversations and membership: create, read, list, rename, add, remove, leave. */
export function conversationsService(deps: MessengerDeps) {
  const { platform, notifier } = deps;
  const database = platform.database;
  const repo = conversationsRepo(database.db);
  const messages = messagesRepo(database.db);
  const users = usersService(platform);
  // A send batch commits up to hundreds of messages at once, and each message's after-commit work asks for
  // its conversation's members: the asks of one turn go out together (member-lists.ts: kept in memory on
  // SQLite until a membership changes; a query per org on PostgreSQL).
  const lists = memberListsOf(database);
  const memberLists = new DataLoader<readonly [string, string], readonly string[], string>(
    async (keys) => {
      const byOrg = new Map<string, string[]>();
      for (const [orgId, conversationId] of keys) {
        const ids = byOrg.get(orgId) ?? [];
        ids.push(conversationId);
        byOrg.set(orgId, ids);
      }
      const found = new Map<string, Map<string, Members>>();
      for (const [orgId, ids] of byOrg) found.set(orgId, await lists.of(database.db, orgId, ids));
      return keys.map(([orgId, conversationId]) => found.get(orgId)?.get(conversationId)?.ids ?? []);
    },
    { cache: false },
  );

  async function load(orgId: string, row: ConversationRow): Promise<Conversation> {
    return toConversation(row, await repo.members(orgId, row.id));
  }

  async function requireGroupAdmin(actor: Actor, conversationId: string) {
    const found = await requireMember(database.db, actor, conversationId);
    if (found.conversation.kind !== 'group') throw new AppError('bad_request', 'only a group has admins and members');
    if (found.member.role !== 'admin') throw new AppError('forbidden', 'only a group admin may do this');
    return found;
  }

  /** Insert a new conversation with its members and its `conversation.created` event, then announce it. */
  async function createWith(
    actor: Actor,
    base: Pick<ConversationRow, 'kind' | 'name' | 'status' | 'directKey'>,
    members: { userId: string; role: MemberRole }[],
  ): Promise<Conversation> {
    const now = platform.clock.now();
    const row: ConversationRow = {
      id: randomUUID(),
      orgId: actor.orgId,
      ...base,
      createdBy: actor.userId,
      lastSeq: 0,
      lastActivityAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await database.transaction(async (tx) => {
      const r = conversationsRepo(tx);
      await r.insert(row);
      for (const m of members) {
        await r.addMember({ conversationId: row.id, orgId: actor.orgId, lastReadSeq: 0, joinedAt: now, ...m });
      }
    });
    const conversation = await load(actor.orgId, row);
    notifier.join(
      row.id,
      members.map((m) => m.userId),
    );
    // Creation is the conversation's initial state, not a kept event: seq 0, announced with the snapshot.
    notifier.event(
      { conversationId: row.id, seq: 0, type: 'conversation.created', actorId: actor.userId, createdAt: now },
      conversation,
    );
    return conversation;
  }

  async function requireUsers(orgId: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) await users.get(orgId, id);
  }

  return {
    async create(actor: Actor, input: CreateConversation): Promise<{ conversation: Conversation; created: boolean }> {
      const data = CreateConversationSchema.parse(input);
      // Customers talk to the contact center, not to staff or each other directly.
      if (actor.role === 'customer' && data.kind !== 'support') {
        throw new AppError('forbidden', 'customers may only open support conversations');
      }
      if (data.kind === 'direct') {
        if (data.userId === actor.userId)
          throw new AppError('bad_request', 'a direct conversation needs another person');
        await requireUsers(actor.orgId, [data.userId]);
        const directKey = [actor.userId, data.userId].sort().join(':');
        const existing = await repo.findDirect(actor.orgId, directKey);
        if (existing) return { conversation: await load(actor.orgId, existing), created: false };
        try {
          const members = [actor.userId, data.userId].map((userId) => ({ userId, role: 'member' as const }));
          const conversation = await createWith(
            actor,
            { kind: 'direct', name: null, status: null, directKey },
            members,
          );
          return { conversation, created: true };
        } catch (err) {
          // Both people started it at the same moment: the other insert won.
          const winner = isUniqueViolation(err) && (await repo.findDirect(actor.orgId, directKey));
          if (winner) return { conversation: await load(actor.orgId, winner), created: false };
          throw err;
        }
      }
      if (data.kind === 'group') {
        const others = [...new Set(data.memberIds)].filter((id) => id !== actor.userId);
        await requireUsers(actor.orgId, others);
        const members = [
          { userId: actor.userId, role: 'admin' as const },
          ...others.map((userId) => ({ userId, role: 'member' as const })),
        ];
        const conversation = await createWith(
          actor,
          { kind: 'group', name: data.name, status: null, directKey: null },
          members,
        );
        return { conversation, created: true };
      }
      const conversation = await createWith(
        actor,
        { kind: 'support', name: data.name ?? null, status: 'open', directKey: null },
        [{ userId: actor.userId, role: 'member' }],
      );
      return { conversation, created: true };
    },

    /**
     * Who is in a conversation (user ids), for other modules' after-commit work: no access check; the asks of
     * one turn of the event loop go out together (member-lists.ts).
     */
    async memberIds(orgId: string, conversationId: string): Promise<readonly string[]> {
      return memberLists.load([orgId, conversationId]);
    },

    async get(actor: Actor, conversationId: string): Promise<Conversation> {
      const { conversation } = await requireMember(database.db, actor, conversationId);
      return load(actor.orgId, conversation);
    },

    /** The caller's conversations, newest activity first, with preview and unread count. */
    async list(actor: Actor, query: ConversationListQuery = {}): Promise<ConversationList> {
      const q = ConversationListQuerySchema.parse(query);
      const after = q.cursor ? decodeListCursor(q.cursor) : undefined;
      const rows = await repo.listFor(actor.orgId, actor.userId, q.limit + 1, after, q.scope);
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const row of page) {
        const { lastReadSeq, memberCount } = row;
        items.push({
          ...toConversation(row, []),
          memberCount,
          lastReadSeq,
          unreadCount: await messages.unreadCount(actor.orgId, row.id, actor.userId, lastReadSeq),
          lastMessage: await messages.last(actor.orgId, row.id),
        });
      }
      const last = page.at(-1);
      const summaries = items.map(({ members: _m, ...s }) => s);
      return {
        items: summaries,
        ...(rows.length > q.limit && last
          ? { nextCursor: encodeListCursor({ lastActivityAt: Number(last.lastActivityAt), id: last.id }) }
          : {}),
      };
    },

    async rename(actor: Actor, conversationId: string, name: string): Promise<Conversation> {
      const clean = ConversationNameSchema.parse(name);
      await requireGroupAdmin(actor, conversationId);
      const now = platform.clock.now();
      const event = await database.transaction(async (tx) => {
        await conversationsRepo(tx).setName(actor.orgId, conversationId, clean);
        return appendEvent(
          tx,
          actor.orgId,
          conversationId,
          { type: 'conversation.renamed', actorId: actor.userId, data: { name: clean } },
          now,
        );
      });
      await publish(deps, actor.orgId, [event]);
      return this.get(actor, conversationId);
    },

    async addMembers(actor: Actor, conversationId: string, input: AddMembers): Promise<Conversation> {
      const { userIds, role } = AddMembersSchema.parse(input);
      await requireGroupAdmin(actor, conversationId);
      const wanted = [...new Set(userIds)];
      await requireUsers(actor.orgId, wanted);
      const now = platform.clock.now();
      const added: string[] = [];
      const events = await database.transaction(async (tx) => {
        const r = conversationsRepo(tx);
        const out: EventRow[] = [];
        for (const userId of wanted) {
          if (await r.member(actor.orgId, conversationId, userId)) continue;
          await r.addMember({ conversationId, userId, orgId: actor.orgId, role, lastReadSeq: 0, joinedAt: now });
          out.push(
            await appendEvent(
              tx,
              actor.orgId,
              conversationId,
              { type: 'member.joined', actorId: actor.userId, data: { userId, role } },
              now,
            ),
          );
          added.push(userId);
        }
        return out;
      });
      notifier.join(conversationId, added);
      const conversation = await this.get(actor, conversationId);
      await publish(deps, actor.orgId, events, conversation);
      return conversation;
    },

    /** An admin removes someone, or anyone removes themselves (= leave). */
    async removeMember(actor: Actor, conversationId: string, userId: string): Promise<void> {
      if (userId === actor.userId) return this.leave(actor, conversationId);
      await requireGroupAdmin(actor, conversationId);
      await removeAndAnnounce(actor, conversationId, userId, 'group');
    },

    async leave(actor: Actor, conversationId: string): Promise<void> {
      const { conversation } = await requireMember(database.db, actor, conversationId);
      if (conversation.kind === 'direct') throw new AppError('bad_request', 'a direct conversation cannot be left');
      await removeAndAnnounce(actor, conversationId, actor.userId, conversation.kind);
    },

    /** Conversation ids the user belongs to: the rooms a new socket joins. */
    async roomsOf(actor: Actor): Promise<string[]> {
      return (await repo.membershipsOf(actor.orgId, actor.userId)).map((m) => m.conversationId);
    },
  };

  async function removeAndAnnounce(
    actor: Actor,
    conversationId: string,
    userId: string,
    kind: ConversationRow['kind'],
  ): Promise<void> {
    const now = platform.clock.now();
    const event = await database.transaction(async (tx) => {
      const r = conversationsRepo(tx);
      const seqEvent = await appendEvent(
        tx,
        actor.orgId,
        conversationId,
        { type: 'member.left', actorId: actor.userId, data: { userId } },
        now,
      );
      if (!(await r.removeMember(actor.orgId, conversationId, userId))) throw new AppError('not_found', 'not a member');
      const rest: MemberRow[] = await r.members(actor.orgId, conversationId);
      // A group keeps an admin: the longest-standing member takes over from the last one leaving.
      const first = rest[0];
      if (kind === 'group' && first && !rest.some((m) => m.role === 'admin'))
        await r.setRole(actor.orgId, conversationId, first.userId, 'admin');
      return seqEvent;
    });
    // The leaver hears their own departure, then stops hearing the room.
    await publish(deps, actor.orgId, [event]);
    notifier.leave(conversationId, [userId]);
    deps.memberLeft?.(actor.orgId, conversationId, userId);
  }
}
export type ConversationsService = ReturnType<typeof conversationsService>;
