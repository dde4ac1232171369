import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { PresenceService } from '../presence/presence.service.js';
import type { AiSettingsStore } from './ai-settings.js';
import { assistantRepo } from './assistant.repo.js';
import type { SupportNotifier } from './support-notifier.js';
import type { SupportState } from './support-state.js';

/**
 * Who owns a support conversation: the human queue, assignment to people working support, and giving a
 * conversation back to the queue when its owner is gone. Every path that promises the customer a person
 * ends with the conversation assigned or in the queue, never with nobody.
 */
export function supportRouting(
  platform: Platform,
  notify: SupportNotifier,
  messenger: MessengerService,
  support: SupportState,
  settings: AiSettingsStore,
  presence: PresenceService,
) {
  const repo = assistantRepo(platform.database);
  const lastAssigned = new Map<string, string>();
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
    const waiting = await support.waiting(orgId);
    if (waiting.length === 0) return;
    const row = await settings.settingsRow(orgId);
    const { agentCapacity } = settings.toSettings(row);
    // Only people working support: agents who are online now, supervisors and admins only if they opted in
    // (most watch, they are not routed to), never the AI's own user.
    const optedIn = await repo.takingChats(orgId);
    const agents = (await presence.availableAgents(orgId)).filter(
      (a) => (a.role === 'agent' || optedIn.has(a.userId)) && a.userId !== row.aiUserId,
    );
    const counts = await repo.activeCounts(orgId);
    for (const w of waiting) {
      const start = agents.findIndex((a) => a.userId === lastAssigned.get(orgId)) + 1;
      const order = [...agents.slice(start), ...agents.slice(0, start)];
      const agent = order.find(
        (a) => (counts.get(a.userId) ?? 0) < agentCapacity && leftBy.get(w.conversationId) !== a.userId,
      );
      if (!agent) continue;
      leftBy.delete(w.conversationId);
      lastAssigned.set(orgId, agent.userId);
      counts.set(agent.userId, (counts.get(agent.userId) ?? 0) + 1);
      await messenger.support.addMember(orgId, w.conversationId, agent.userId, agent.userId);
      await support.setStatus(orgId, w.conversationId, 'human_active', agent.userId, { assignedTo: agent.userId });
      await support.record(orgId, w.conversationId, 'assigned', { actorId: agent.userId });
    }
    for (const [i, w] of (await support.waiting(orgId)).entries()) {
      notify.queuePosition({
        conversationId: w.conversationId,
        status: 'human_requested',
        queuePosition: i + 1,
        assignedTo: null,
      });
    }
  }

  /**
   * The person who had the conversation is gone (left it, went offline, was deactivated): it goes back to
   * the human queue, at its old place if it had one, and is assigned to the next available agent. A
   * conversation that is not theirs (any more) is left alone.
   */
  async function release(
    orgId: string,
    conversationId: string,
    userId: string,
    why: 'left' | 'offline' | 'deactivated',
  ): Promise<void> {
    const current = await support.state(orgId, conversationId);
    if (current.status !== 'human_active' || current.assignedTo !== userId) return;
    await support.setStatus(orgId, conversationId, 'human_requested', userId, {
      assignedTo: null,
      requestedAt: current.requestedAt ?? platform.clock.now(),
    });
    if (why === 'left') leftBy.set(conversationId, userId);
    await support.record(orgId, conversationId, 'requeued', { actorId: userId, data: { why } });
    await assignWaiting(orgId);
  }

  return {
    assignWaiting,
    release,

    /** Release every conversation `userId` has (see `release`). */
    async releaseAll(orgId: string, userId: string, why: 'offline' | 'deactivated'): Promise<void> {
      for (const conversationId of await repo.assignedTo(orgId, userId)) {
        await release(orgId, conversationId, userId, why);
      }
    },

    /** A person is wanted (asked by the customer, escalated, or a rejected draft): queue, then assign. */
    async requestHuman(
      orgId: string,
      conversationId: string,
      actorId: string,
      why: 'handed_off' | 'escalated' | 'rejected',
    ) {
      const current = await support.state(orgId, conversationId);
      if (current.status === 'human_active' || current.status === 'human_requested') return current.status;
      await support.setStatus(orgId, conversationId, 'human_requested', actorId, {
        requestedAt: platform.clock.now(),
        assignedTo: null,
      });
      if (why === 'handed_off') await support.record(orgId, conversationId, 'handed_off', { actorId });
      await assignWaiting(orgId);
      return (await support.state(orgId, conversationId)).status;
    },

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
  };
}
export type SupportRouting = ReturnType<typeof supportRouting>;
