import type { Approval } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { ApprovalsTable } from './approvals.tables.js';

export type ApprovalRow = Selectable<ApprovalsTable>;

export function toApproval(r: ApprovalRow): Approval {
  return {
    id: r.id,
    conversationId: r.conversationId,
    questionMessageId: r.questionMessageId,
    question: r.question,
    draft: r.draft,
    // An empty draft is one under the floor (responder.ts): its sources are suggestions, not citations.
    noAnswer: r.draft === '',
    confidence: Number(r.confidence),
    reason: r.reason,
    sources: JSON.parse(r.sources),
    state: r.state as Approval['state'],
    claimedBy: r.claimedBy,
    claimExpiresAt: r.claimExpiresAt === null ? null : Number(r.claimExpiresAt),
    decidedBy: r.decidedBy,
    finalText: r.finalText,
    rejectReason: r.rejectReason,
    createdAt: Number(r.createdAt),
    expiresAt: Number(r.expiresAt),
  };
}

export function approvalsRepo({ db }: Database) {
  return {
    async insert(row: ApprovalRow): Promise<boolean> {
      const r = await db
        .insertInto('approvals')
        .values(row)
        .onConflict((oc) => oc.column('questionMessageId').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    find: (orgId: string, id: string) =>
      db.selectFrom('approvals').selectAll().where('orgId', '=', orgId).where('id', '=', id).executeTakeFirst(),
    byQuestion: (orgId: string, messageId: string) =>
      db
        .selectFrom('approvals')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('questionMessageId', '=', messageId)
        .executeTakeFirst(),
    pending: (orgId: string) =>
      db
        .selectFrom('approvals')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('state', '=', 'pending')
        .orderBy('createdAt')
        .limit(200)
        .execute(),
    /** Close every pending item of a conversation (a person has it now); returns the closed ids. */
    async supersede(orgId: string, conversationId: string, now: number): Promise<string[]> {
      const ids = (
        await db
          .selectFrom('approvals')
          .select('id')
          .where('orgId', '=', orgId)
          .where('conversationId', '=', conversationId)
          .where('state', '=', 'pending')
          .execute()
      ).map((r) => r.id);
      const closed: string[] = [];
      for (const id of ids) {
        const r = await db
          .updateTable('approvals')
          .set({ state: 'superseded', decidedAt: now })
          .where('orgId', '=', orgId)
          .where('id', '=', id)
          .where('state', '=', 'pending')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) > 0) closed.push(id);
      }
      return closed;
    },
    /** Confidence and outcome of the newest decided drafts (approved, edited, rejected), for the routing table. */
    async decided(orgId: string, limit: number): Promise<{ confidence: number; state: string }[]> {
      const rows = await db
        .selectFrom('approvals')
        .select(['confidence', 'state'])
        .where('orgId', '=', orgId)
        .where('state', 'in', ['approved', 'edited', 'rejected'])
        .orderBy('decidedAt', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ confidence: Number(r.confidence), state: r.state }));
    },
    /** The newest drafts agents edited before sending (drafts under the floor had no text: not edits). */
    async edited(orgId: string, limit: number) {
      return db
        .selectFrom('approvals')
        .select(['id', 'question', 'draft', 'finalText', 'sources', 'decidedAt'])
        .where('orgId', '=', orgId)
        .where('state', '=', 'edited')
        .where('draft', '!=', '')
        .orderBy('decidedAt', 'desc')
        .limit(limit)
        .execute();
    },
    /** Take the claim if it is free, ours, or stale: one conditional UPDATE, so of two racing agents one wins. */
    async claim(orgId: string, id: string, userId: string, now: number, ttlMs: number): Promise<boolean> {
      const r = await db
        .updateTable('approvals')
        .set({ claimedBy: userId, claimExpiresAt: now + ttlMs })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where((eb) =>
          eb.or([eb('claimedBy', 'is', null), eb('claimedBy', '=', userId), eb('claimExpiresAt', '<', now)]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Move a pending item to its final state; `byUser` must hold the claim (or it is free / stale). */
    async decide(
      orgId: string,
      id: string,
      patch: Pick<ApprovalRow, 'state' | 'decidedBy' | 'decidedAt' | 'finalText' | 'rejectReason'>,
      byUser: string | null,
      now: number,
    ): Promise<boolean> {
      let q = db
        .updateTable('approvals')
        .set(patch)
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .where('state', '=', 'pending');
      if (byUser)
        q = q.where((eb) =>
          eb.or([eb('claimedBy', 'is', null), eb('claimedBy', '=', byUser), eb('claimExpiresAt', '<', now)]),
        );
      return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
    },
  };
}
