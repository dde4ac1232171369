import { createHash, randomUUID } from 'node:crypto';
import type { AnswerStreamEvent, ConversationStatusEvent, Message, SupportStatus } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { presenceOf } from '../presence/presence.service.js';
import { usersService } from '../users/users.service.js';
import { aiSettings } from './ai-settings.js';
import { assistantRepo, type SupportStateRow } from './assistant.repo.js';
import { outcomeMetrics } from './outcome-metrics.js';
import type { SupportNotifier } from './support-notifier.js';

export { DEFAULT_SETTINGS } from './ai-settings.js';
export const REVIEWING_NOTICE = 'An agent is reviewing your answer';

/** What the contact center tells its change listeners (the dashboard): an outcome recorded or a status set. */
export type ContactCenterChange =
  | {
      type: 'outcome';
      orgId: string;
      conversationId: string;
      kind: string;
      actorId: string | null;
      data: unknown;
      at: number;
    }
  | {
      type: 'status';
      orgId: string;
      conversationId: string;
      status: SupportStatus;
      assignedTo: string | null;
      at: number;
    };

/** A client message id derived from a source id: the AI's answer to one question is sent at most once. */
export function derivedMsgId(source: string): string {
  const h = createHash('sha256').update(`ai:${source}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * What the assistant, the approval queue and handoff share: org settings and the AI's user, the routing
 * state of support conversations (status, queue, assignment), the `conversation.status` push and the
 * outcome log. Messages and statuses go through the messenger's service, never its tables.
 */
export function contactCenter(platform: Platform, notify: SupportNotifier, messenger: MessengerService) {
  const repo = assistantRepo(platform.database);
  const users = usersService(platform);
  const lastAssigned = new Map<string, string>();
  // Hooks for the approval queue (which depends on this module, not the reverse).
  const humanListeners = new Set<(orgId: string, conversationId: string) => Promise<void>>();
  // The dashboard hears outcomes and status changes through `onChange` (wired in services.ts).
  const changeListeners = new Set<(change: ContactCenterChange) => void>();
  const { outcomesTotal, outcomeLatency } = outcomeMetrics(platform.metrics.registry);
  const { settingsRow, toSettings, settings: settingsOf, updateSettings } = aiSettings(platform);

  const aiActor = (orgId: string, aiUserId: string): Actor => ({
    userId: aiUserId,
    orgId,
    role: 'agent',
    sessionId: 'assistant',
    kind: 'user',
  });

  async function state(orgId: string, conversationId: string): Promise<SupportStateRow> {
    const found = await repo.state(orgId, conversationId);
    if (found) return found;
    const c = await messenger.support.get(orgId, conversationId);
    return {
      conversationId,
      orgId,
      status: c.status ?? 'ai_active',
      assignedTo: null,
      requestedAt: null,
      updatedAt: 0,
    };
  }

  async function queuePosition(orgId: string, conversationId: string): Promise<number | undefined> {
    const waiting = await repo.waiting(orgId);
    const i = waiting.findIndex((w) => w.conversationId === conversationId);
    return i < 0 ? undefined : i + 1;
  }

  /** Store the status (state row + messenger event) and push `conversation.status` to customer and staff. */
  async function setStatus(
    orgId: string,
    conversationId: string,
    status: SupportStatus,
    actorId: string,
    change: Partial<Pick<SupportStateRow, 'assignedTo' | 'requestedAt'>> = {},
    notice?: string,
  ): Promise<ConversationStatusEvent> {
    const prev = await state(orgId, conversationId);
    const row: SupportStateRow = { ...prev, ...change, status, updatedAt: platform.clock.now() };
    await repo.upsertState(row);
    await messenger.support.setStatus(orgId, conversationId, status, actorId);
    const event: ConversationStatusEvent = {
      conversationId,
      status,
      assignedTo: row.assignedTo,
      ...(status === 'human_requested' ? { queuePosition: await queuePosition(orgId, conversationId) } : {}),
      ...(notice ? { notice } : {}),
    };
    notify.status(orgId, event);
    for (const l of changeListeners)
      l({ type: 'status', orgId, conversationId, status, assignedTo: row.assignedTo, at: row.updatedAt });
    if (status === 'human_active') for (const l of humanListeners) await l(orgId, conversationId);
    return event;
  }

  async function record(
    orgId: string,
    conversationId: string,
    kind: string,
    o: { confidence?: number | null; latencyMs?: number | null; data?: unknown; actorId?: string | null } = {},
  ): Promise<void> {
    outcomesTotal.inc({ kind });
    if (typeof o.latencyMs === 'number') outcomeLatency.observe({ kind }, o.latencyMs / 1000);
    const at = platform.clock.now();
    await repo.insertOutcome({
      id: randomUUID(),
      orgId,
      conversationId,
      kind,
      confidence: o.confidence ?? null,
      latencyMs: o.latencyMs === undefined || o.latencyMs === null ? null : Math.round(o.latencyMs),
      data: o.data === undefined ? null : JSON.stringify(o.data),
      actorId: o.actorId ?? null,
      createdAt: at,
    });
    for (const l of changeListeners)
      l({ type: 'outcome', orgId, conversationId, kind, actorId: o.actorId ?? null, data: o.data ?? null, at });
  }

  // One assignment pass per org at a time in this process: presence changes, resolutions and handoffs all
  // trigger one, and two overlapping passes would read the same queue and hand one conversation out twice.
  const assigning = new Map<string, Promise<void>>();
  // Who walked out of a waiting conversation: the next pass must not hand it straight back to them.
  const leftBy = new Map<string, string>();

  /** Hand waiting conversations to online agents under capacity, round-robin; tell the rest their place. */
  function assignWaiting(orgId: string): Promise<void> {
    const run = (assigning.get(orgId) ?? Promise.resolve()).catch(() => {}).then(() => assignPass(orgId));
    assigning.set(orgId, run);
    const forget = () => {
      if (assigning.get(orgId) === run) assigning.delete(orgId);
    };
    run.then(forget, forget);
    return run;
  }

  async function assignPass(orgId: string): Promise<void> {
    // Runs on every staff presence change: most find nobody waiting, so look up agents and loads only then.
    const waiting = await repo.waiting(orgId);
    if (waiting.length === 0) return;
    const row = await settingsRow(orgId);
    const settings = toSettings(row);
    // Only people working support: agents who are online now, supervisors and admins only if they opted in
    // (most watch, they are not routed to), never the AI's own user.
    const optedIn = await repo.takingChats(orgId);
    const agents = (await presenceOf(platform).availableAgents(orgId)).filter(
      (a) => (a.role === 'agent' || optedIn.has(a.userId)) && a.userId !== row.aiUserId,
    );
    const counts = await repo.activeCounts(orgId);
    for (const w of waiting) {
      const start = agents.findIndex((a) => a.userId === lastAssigned.get(orgId)) + 1;
      const order = [...agents.slice(start), ...agents.slice(0, start)];
      const agent = order.find(
        (a) => (counts.get(a.userId) ?? 0) < settings.agentCapacity && leftBy.get(w.conversationId) !== a.userId,
      );
      if (!agent) continue;
      leftBy.delete(w.conversationId);
      lastAssigned.set(orgId, agent.userId);
      counts.set(agent.userId, (counts.get(agent.userId) ?? 0) + 1);
      await messenger.support.addMember(orgId, w.conversationId, agent.userId, agent.userId);
      await setStatus(orgId, w.conversationId, 'human_active', agent.userId, { assignedTo: agent.userId });
      await record(orgId, w.conversationId, 'assigned', { actorId: agent.userId });
    }
    for (const [i, w] of (await repo.waiting(orgId)).entries()) {
      notify.queuePosition({
        conversationId: w.conversationId,
        status: 'human_requested',
        queuePosition: i + 1,
        assignedTo: null,
      });
    }
  }

  return {
    /** Hear a conversation passing to a person (`human_active`). */
    onHuman(listener: (orgId: string, conversationId: string) => Promise<void>): void {
      humanListeners.add(listener);
    },
    settingsRow,
    toSettings,
    aiActor,
    state,
    queuePosition,
    setStatus,
    record,
    assignWaiting,

    /** Whether I (a supervisor or admin) take chats from the queue; agents always do. */
    async takesChats(actor: Actor): Promise<boolean> {
      return actor.role === 'agent' || (await repo.takingChats(actor.orgId)).has(actor.userId);
    },
    /** Opt in or out of taking chats from the queue (supervisors and admins); opting in may assign at once. */
    async setTakesChats(actor: Actor, takesChats: boolean): Promise<boolean> {
      if (actor.role === 'agent') throw new AppError('bad_request', 'agents always take chats from the queue');
      await repo.setTakesChats(actor.orgId, actor.userId, takesChats, platform.clock.now());
      if (takesChats) await assignWaiting(actor.orgId);
      return takesChats;
    },

    /** Hear every outcome and status change after it is stored (the dashboard); listeners must not throw. */
    onChange(listener: (change: ContactCenterChange) => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },

    settings: settingsOf,
    updateSettings,

    /** Post `text` as the org's AI user (joining it to the conversation first); idempotent on `sourceId`. */
    async postAsAi(orgId: string, conversationId: string, text: string, sourceId: string): Promise<Message> {
      const { aiUserId } = await settingsRow(orgId);
      await messenger.support.addMember(orgId, conversationId, aiUserId, aiUserId);
      const { message } = await messenger.messages.send(aiActor(orgId, aiUserId), conversationId, {
        clientMsgId: derivedMsgId(sourceId),
        text,
      });
      return message;
    },

    /**
     * Post `text` as a staff member (joining them to the conversation first), idempotent on `sourceId`: an
     * answer an agent edited is theirs, and the customer sees their name, not the AI's.
     */
    async postAsStaff(actor: Actor, conversationId: string, text: string, sourceId: string): Promise<Message> {
      await messenger.support.addMember(actor.orgId, conversationId, actor.userId, actor.userId);
      const { message } = await messenger.messages.send(actor, conversationId, {
        clientMsgId: derivedMsgId(sourceId),
        text,
      });
      return message;
    },

    /** An AI answer being written (or taken back), to the conversation's members. */
    answerStream(event: AnswerStreamEvent): void {
      notify.answerStream(event);
    },

    /** "AI is typing": relayed like anyone's typing, as the AI's user. */
    async aiTyping(orgId: string, conversationId: string, on: boolean): Promise<void> {
      const { aiUserId } = await settingsRow(orgId);
      await messenger.support.addMember(orgId, conversationId, aiUserId, aiUserId);
      await messenger.typing(aiActor(orgId, aiUserId), { conversationId, typing: on });
    },

    /** Staff take the conversation: they join it and it is theirs (`human_active`). */
    async take(actor: Actor, conversationId: string, agentId = actor.userId): Promise<void> {
      if (agentId !== actor.userId) {
        const target = await users.get(actor.orgId, agentId);
        if (target.role === 'customer' || !target.active)
          throw new AppError('bad_request', 'transfer to an active staff member');
      }
      await messenger.support.addMember(actor.orgId, conversationId, agentId, actor.userId);
      await setStatus(actor.orgId, conversationId, 'human_active', actor.userId, {
        assignedTo: agentId,
        requestedAt: null,
      });
      if (agentId !== actor.userId)
        await record(actor.orgId, conversationId, 'transferred', { actorId: actor.userId, data: { to: agentId } });
    },

    async resolve(actor: Actor, conversationId: string): Promise<void> {
      await setStatus(
        actor.orgId,
        conversationId,
        'resolved',
        actor.userId,
        { requestedAt: null },
        'How did we do? Rate this conversation from 1 to 5.',
      );
      await record(actor.orgId, conversationId, 'resolved', { actorId: actor.userId });
      await assignWaiting(actor.orgId);
    },

    async reopen(actor: Actor, conversationId: string): Promise<void> {
      await setStatus(actor.orgId, conversationId, 'ai_active', actor.userId, { assignedTo: null, requestedAt: null });
      await assignWaiting(actor.orgId);
    },

    async csat(actor: Actor, conversationId: string, score: number): Promise<void> {
      await record(actor.orgId, conversationId, 'csat', { actorId: actor.userId, data: { score } });
    },

    async outcomes(orgId: string) {
      return (await repo.outcomes(orgId)).map((o) => ({
        conversationId: o.conversationId,
        kind: o.kind,
        confidence: o.confidence === null ? null : Number(o.confidence),
        latencyMs: o.latencyMs === null ? null : Number(o.latencyMs),
        data: o.data ? (JSON.parse(o.data) as unknown) : null,
        createdAt: Number(o.createdAt),
      }));
    },

    /**
     * The person who had the conversation is gone (left it, went offline, was deactivated): it goes back to
     * the human queue, at its old place if it had one, and is assigned to the next available agent. A
     * conversation that is not theirs (any more) is left alone.
     */
    async release(orgId: string, conversationId: string, userId: string, why: 'left' | 'offline' | 'deactivated') {
      const current = await state(orgId, conversationId);
      if (current.status !== 'human_active' || current.assignedTo !== userId) return;
      await setStatus(orgId, conversationId, 'human_requested', userId, {
        assignedTo: null,
        requestedAt: current.requestedAt ?? platform.clock.now(),
      });
      if (why === 'left') leftBy.set(conversationId, userId);
      await record(orgId, conversationId, 'requeued', { actorId: userId, data: { why } });
      await assignWaiting(orgId);
    },

    /** Release every conversation `userId` has (see `release`). */
    async releaseAll(orgId: string, userId: string, why: 'offline' | 'deactivated') {
      for (const conversationId of await repo.assignedTo(orgId, userId)) {
        await this.release(orgId, conversationId, userId, why);
      }
    },

    /** A person is wanted (asked by the customer, escalated, or a rejected draft): queue, then assign. */
    async requestHuman(
      orgId: string,
      conversationId: string,
      actorId: string,
      why: 'handed_off' | 'escalated' | 'rejected',
    ) {
      const current = await state(orgId, conversationId);
      if (current.status === 'human_active' || current.status === 'human_requested') return current.status;
      await setStatus(orgId, conversationId, 'human_requested', actorId, {
        requestedAt: platform.clock.now(),
        assignedTo: null,
      });
      if (why === 'handed_off') await record(orgId, conversationId, 'handed_off', { actorId });
      await assignWaiting(orgId);
      return (await state(orgId, conversationId)).status;
    },
  };
}
export type ContactCenter = ReturnType<typeof contactCenter>;
