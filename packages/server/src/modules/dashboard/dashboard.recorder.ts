import { randomUUID } from 'node:crypto';
import type { Message } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import type { ContactCenterChange } from '../assistant/contact-center.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { usersService } from '../users/users.service.js';
import { dashboardRepo } from './dashboard.repo.js';

type Counter = 'autoSent' | 'queued' | 'approved' | 'edited' | 'rejected';
const DECISIONS = new Set(['approved', 'edited', 'rejected']);
/** Contact-center outcome → why the conversation went to a person. */
const ESCALATION: Record<string, string> = {
  handed_off: 'customer_request',
  escalated: 'approval_timeout',
  rejected: 'draft_rejected',
};

/** A conversation's row before anything but its start happened. */
export const EMPTY_CONVERSATION = {
  status: 'ai_active',
  topic: null,
  agentId: null,
  messages: 0,
  autoSent: 0,
  queued: 0,
  approved: 0,
  edited: 0,
  rejected: 0,
  humanTouched: 0,
  firstResponseMs: null,
  requestedAt: null,
  queueMs: null,
  escalationReason: null,
  resolvedAt: null,
  resolutionMs: null,
  csat: null,
};

const field = (data: unknown, key: string): unknown =>
  data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;

/**
 * Keeps the dashboard's rollup current from what already happens: every stored message of a support
 * conversation and every contact-center outcome or status change. Work is chained per conversation, so
 * the rows see each conversation's events in the order they happened.
 */
export function dashboardRecorder(
  platform: Platform,
  messenger: MessengerService,
  changed: (orgId: string, kind: string) => void,
  log: { error(obj: object, msg: string): void },
) {
  const repo = dashboardRepo(platform.database);
  const chains = new Map<string, Promise<void>>();

  function enqueue(conversationId: string, work: () => Promise<void>): void {
    const next = (chains.get(conversationId) ?? Promise.resolve())
      .then(work)
      .catch((err) => log.error({ err, conversationId }, 'dashboard: recording failed'));
    chains.set(conversationId, next);
    void next.finally(() => {
      if (chains.get(conversationId) === next) chains.delete(conversationId);
    });
  }

  /** Make sure a support conversation has its row (started now, channel from whoever opened it). */
  async function ensure(orgId: string, conversationId: string, at: number, channel?: string): Promise<boolean> {
    if (await repo.exists(orgId, conversationId)) return true;
    const conversation = await messenger.support.get(orgId, conversationId).catch(() => undefined);
    if (!conversation) return false;
    const opener =
      channel ??
      ((await usersService(platform)
        .get(orgId, conversation.createdBy)
        .then((u) => u.kind)
        .catch(() => 'user')) === 'visitor'
        ? 'widget'
        : 'web');
    await repo.start({ ...EMPTY_CONVERSATION, conversationId, orgId, startedAt: at, channel: opener, updatedAt: at });
    return true;
  }

  async function topicOf(orgId: string, articleId: unknown): Promise<string | null> {
    if (typeof articleId !== 'string') return null;
    const system: Actor = { userId: 'dashboard', orgId, role: 'admin', sessionId: 'dashboard', kind: 'user' };
    const article = await knowledgeService(platform)
      .get(system, articleId)
      .catch(() => undefined);
    return article?.topics[0] ?? null;
  }

  async function outcome(c: Extract<ContactCenterChange, { type: 'outcome' }>): Promise<void> {
    const counter: Counter | undefined =
      c.kind === 'auto_sent'
        ? 'autoSent'
        : c.kind === 'queued' || DECISIONS.has(c.kind)
          ? (c.kind as Counter)
          : undefined;
    const articleId =
      c.kind === 'auto_sent' ? (field(c.data, 'sources') as unknown[] | undefined)?.[0] : field(c.data, 'articleId');
    const score = field(c.data, 'score');
    await repo.outcome(c.orgId, c.conversationId, {
      at: c.at,
      ...(counter ? { counter } : {}),
      ...(ESCALATION[c.kind] ? { escalationReason: ESCALATION[c.kind] } : {}),
      ...(DECISIONS.has(c.kind) || c.kind === 'assigned' ? { agentId: c.actorId } : {}),
      ...(articleId ? { topic: await topicOf(c.orgId, articleId) } : {}),
      ...(c.kind === 'csat' && typeof score === 'number' ? { csat: score } : {}),
    });
    const decisionMs = field(c.data, 'decisionMs');
    if (DECISIONS.has(c.kind) && typeof decisionMs === 'number')
      await repo.decision({
        id: randomUUID(),
        orgId: c.orgId,
        conversationId: c.conversationId,
        outcome: c.kind,
        decisionMs: Math.max(0, Math.round(decisionMs)),
        decidedAt: c.at,
      });
  }

  return {
    /** A stored message: a customer's first one starts the conversation; the first other one answers it. */
    message(actor: Actor, message: Message): void {
      const fromCustomer = actor.role === 'customer';
      enqueue(message.conversationId, async () => {
        const known = fromCustomer
          ? await ensure(
              actor.orgId,
              message.conversationId,
              message.createdAt,
              actor.kind === 'visitor' ? 'widget' : 'web',
            )
          : await repo.exists(actor.orgId, message.conversationId);
        if (!known) return;
        await repo.message(actor.orgId, message.conversationId, fromCustomer, message.createdAt);
        changed(actor.orgId, 'message');
      });
    },

    change(c: ContactCenterChange): void {
      enqueue(c.conversationId, async () => {
        if (!(await ensure(c.orgId, c.conversationId, c.at))) return;
        if (c.type === 'status') await repo.status(c.orgId, c.conversationId, c.status, c.assignedTo, c.at);
        else await outcome(c);
        changed(c.orgId, c.type === 'status' ? c.status : c.kind);
      });
    },

    /** Resolves once everything heard so far is recorded (tests, shutdown). */
    async idle(): Promise<void> {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
export type DashboardRecorder = ReturnType<typeof dashboardRecorder>;
