import { randomUUID } from 'node:crypto';
import type { Approval, ApprovalDecision, DecisionThresholds, DraftEditList } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { aiActor, type ContactCenter, REVIEWING_NOTICE } from '../assistant/contact-center.js';
import { thresholdTable } from '../assistant/eval.js';
import { type Draft, promisesPerson } from '../assistant/responder.js';
import type { SupportNotifier } from '../assistant/support-notifier.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import { approvalsRepo, toApproval } from './approvals.repo.js';

/** A claim not renewed for this long is free for another agent. */
export const CLAIM_TTL_MS = 60_000;
export const APPROVAL_TIMEOUT_TASK = 'approval.timeout';

/**
 * The approval queue. Items are pushed only to the org's staff rooms (`approval.created`,
 * `approval.updated`), never to a conversation room, so a draft cannot reach a customer's socket.
 */
export function approvalsService(platform: Platform, notify: SupportNotifier, cc: ContactCenter) {
  const repo = approvalsRepo(platform.database);
  const push = (orgId: string, event: 'approval.created' | 'approval.updated', a: Approval) =>
    notify.approval(orgId, event, a);

  // Once a person has the conversation its waiting drafts are moot: close them so no one approves late.
  cc.onHuman(async (orgId, conversationId) => {
    for (const id of await repo.supersede(orgId, conversationId, platform.clock.now())) {
      const row = await repo.find(orgId, id);
      if (row) push(orgId, 'approval.updated', toApproval(row));
    }
  });

  async function require(orgId: string, id: string) {
    const row = await repo.find(orgId, id);
    if (!row) throw new AppError('not_found', 'no such approval item');
    return row;
  }

  return {
    /**
     * Queue a draft below the threshold; a repeat for the same question returns the first item. `ai` is the
     * org's AI user and approval timeout, read once by the draft that calls this.
     */
    async create(
      orgId: string,
      q: { conversationId: string; messageId: string; text: string; at: number },
      draft: Draft,
      ai: { aiUserId: string; approvalTimeoutMs: number },
    ): Promise<Approval> {
      const now = platform.clock.now();
      const inserted = await repo.insert({
        id: randomUUID(),
        orgId,
        conversationId: q.conversationId,
        questionMessageId: q.messageId,
        question: q.text,
        questionAt: q.at,
        draft: draft.text,
        confidence: draft.confidence,
        reason: draft.reason,
        sources: JSON.stringify(draft.sources),
        state: 'pending',
        claimedBy: null,
        claimExpiresAt: null,
        decidedBy: null,
        decidedAt: null,
        finalText: null,
        rejectReason: null,
        createdAt: now,
        expiresAt: now + ai.approvalTimeoutMs,
      });
      const row = await repo.byQuestion(orgId, q.messageId);
      if (!row) throw new AppError('internal', 'approval item vanished');
      const item = toApproval(row);
      if (inserted) {
        await cc.setStatus(orgId, q.conversationId, 'pending_approval', ai.aiUserId, {}, REVIEWING_NOTICE);
        await platform.jobs.submit({
          type: APPROVAL_TIMEOUT_TASK,
          orgId,
          payload: { orgId, approvalId: item.id },
          runAt: item.expiresAt,
          idempotencyKey: `approval-timeout:${item.id}`,
        });
        push(orgId, 'approval.created', item);
        await cc.record(orgId, q.conversationId, 'queued', {
          confidence: draft.confidence,
          data: { articleId: draft.sources[0]?.articleId ?? null },
        });
      }
      return item;
    },

    async pending(actor: Actor): Promise<Approval[]> {
      return (await repo.pending(actor.orgId)).map(toApproval);
    },

    /**
     * The threshold table from the org's own decisions (newest 5,000): a draft approved as is counts as
     * right, an edited or rejected one as wrong — what `switchboard ai eval` reports, on the org's data.
     */
    async thresholds(actor: Actor): Promise<DecisionThresholds> {
      const decided = await repo.decided(actor.orgId, 5000);
      const rows = thresholdTable(
        decided.map((d) => ({ c: d.confidence, right: d.state === 'approved' })),
        [],
      );
      return {
        decided: decided.length,
        rows: rows.map((r) => ({
          threshold: r.threshold,
          share: r.autoSent,
          precision: r.precision,
          count: decided.filter((d) => d.confidence >= r.threshold).length,
        })),
      };
    },

    /** Agents' edits of drafts, offered to admins as knowledge-base improvements (a review list). */
    async edits(actor: Actor, limit = 50): Promise<DraftEditList> {
      const rows = await repo.edited(actor.orgId, limit);
      return {
        items: rows.map((r) => {
          const quoted = (JSON.parse(r.sources) as { articleId: string; title: string }[])[0];
          return {
            approvalId: r.id,
            question: r.question,
            draft: r.draft,
            finalText: r.finalText ?? '',
            articleId: quoted?.articleId ?? null,
            articleTitle: quoted?.title ?? null,
            decidedAt: Number(r.decidedAt ?? 0),
          };
        }),
      };
    },

    async claim(actor: Actor, id: string): Promise<Approval> {
      const row = await require(actor.orgId, id);
      if (row.state !== 'pending') throw new AppError('conflict', `the item is already ${row.state}`);
      const won = await repo.claim(actor.orgId, id, actor.userId, platform.clock.now(), CLAIM_TTL_MS);
      const item = toApproval(await require(actor.orgId, id));
      if (!won) throw new AppError('conflict', 'another agent holds this item', { claimedBy: item.claimedBy });
      push(actor.orgId, 'approval.updated', item);
      return item;
    },

    async decide(actor: Actor, id: string, decision: ApprovalDecision): Promise<Approval> {
      const row = await require(actor.orgId, id);
      if (decision.action === 'approve' && row.draft === '')
        throw new AppError('conflict', 'no good answer was found, so there is nothing to approve: edit or reject');
      const now = platform.clock.now();
      const state = decision.action === 'approve' ? 'approved' : decision.action === 'edit' ? 'edited' : 'rejected';
      const finalText = decision.action === 'approve' ? row.draft : decision.action === 'edit' ? decision.text : null;
      const ok = await repo.decide(
        actor.orgId,
        id,
        {
          state,
          decidedBy: actor.userId,
          decidedAt: now,
          finalText,
          rejectReason: decision.action === 'reject' ? decision.reason : null,
        },
        actor.userId,
        now,
      );
      if (!ok) {
        const current = await require(actor.orgId, id);
        throw new AppError(
          'conflict',
          current.state === 'pending' ? 'another agent holds this item' : `the item is already ${current.state}`,
        );
      }
      const latencyMs = now - Number(row.questionAt);
      const decisionMs = now - Number(row.createdAt);
      // An approved draft is a person confirming that its article answers this question: learn the phrasing.
      const quoted = (JSON.parse(row.sources) as { articleId: string }[])[0];
      if (state === 'approved' && quoted)
        await knowledgeService(platform).learn(actor.orgId, quoted.articleId, row.question);
      if (finalText !== null) {
        // Approved as drafted: the AI's answer. Edited: the agent's own words, sent under their name.
        if (state === 'edited') await cc.postAs(actor, row.conversationId, finalText, row.questionMessageId);
        else
          await cc.postAs(
            aiActor(actor.orgId, (await cc.settingsRow(actor.orgId)).aiUserId),
            row.conversationId,
            finalText,
            row.questionMessageId,
          );
        // Someone may have asked for a person meanwhile: the answer goes out, the handoff stands. An answer
        // that tells the customer a person will pick this up must make it so: the human queue, never
        // `ai_active` with nobody on it.
        const now = await cc.state(actor.orgId, row.conversationId);
        if (promisesPerson(finalText))
          await cc.requestHuman(actor.orgId, row.conversationId, actor.userId, 'escalated');
        else if (now.status === 'pending_approval')
          await cc.setStatus(actor.orgId, row.conversationId, 'ai_active', actor.userId);
        await cc.record(actor.orgId, row.conversationId, state, {
          confidence: Number(row.confidence),
          latencyMs,
          actorId: actor.userId,
          data: {
            ...(state === 'edited' ? { draft: row.draft, sent: finalText } : {}),
            decisionMs,
          },
        });
      } else {
        await cc.record(actor.orgId, row.conversationId, 'rejected', {
          confidence: Number(row.confidence),
          latencyMs,
          actorId: actor.userId,
          data: {
            reason: decision.action === 'reject' ? decision.reason : '',
            decisionMs,
          },
        });
        // The rejecting agent answers: they take the conversation.
        await cc.take(actor, row.conversationId);
      }
      const item = toApproval(await require(actor.orgId, id));
      push(actor.orgId, 'approval.updated', item);
      return item;
    },

    /** The delayed task: still undecided → escalate to a person. */
    async timeout(orgId: string, id: string): Promise<void> {
      const row = await repo.find(orgId, id);
      if (row?.state !== 'pending') return;
      const now = platform.clock.now();
      if (
        !(await repo.decide(
          orgId,
          id,
          { state: 'escalated', decidedBy: null, decidedAt: now, finalText: null, rejectReason: null },
          null,
          now,
        ))
      )
        return;
      await cc.record(orgId, row.conversationId, 'escalated', {
        confidence: Number(row.confidence),
        latencyMs: now - Number(row.questionAt),
      });
      await cc.requestHuman(orgId, row.conversationId, (await cc.settingsRow(orgId)).aiUserId, 'escalated');
      push(orgId, 'approval.updated', toApproval(await require(orgId, id)));
    },
  };
}
export type ApprovalsService = ReturnType<typeof approvalsService>;
