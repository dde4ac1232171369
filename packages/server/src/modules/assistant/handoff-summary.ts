import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform/platform.js';
import { aiActor, type ContactCenter, type ContactCenterChange } from './contact-center.js';
import type { CopilotService } from './copilot.js';

export const SUMMARY_TASK = 'assistant.summary';
export const SummaryTaskSchema = z.object({ orgId: z.string(), conversationId: z.string(), at: z.number() });

/** The outcomes after which someone new picks the conversation up and needs to know what happened. */
const HANDOVERS = new Set(['handed_off', 'escalated', 'transferred', 'requeued']);

/**
 * With an LLM configured, a conversation handed to a person (asked for, escalated, transferred, given back
 * to the queue) gets an AI summary as a private note, so whoever takes it reads five lines instead of the
 * whole transcript. Written in a task: the summary takes seconds and must not hold up the handover.
 */
export function handoffSummaries(
  platform: Platform,
  cc: ContactCenter,
  copilot: CopilotService,
  addSummary: (orgId: string, conversationId: string, aiUserId: string, text: string) => Promise<unknown>,
  log: FastifyBaseLogger,
) {
  return {
    /** The change listener: queue a summary for a handover (once per handover). */
    onChange(change: ContactCenterChange): void {
      if (change.type !== 'outcome' || !HANDOVERS.has(change.kind)) return;
      const { orgId, conversationId, at } = change;
      platform.jobs
        .submit({
          type: SUMMARY_TASK,
          orgId,
          payload: { orgId, conversationId, at },
          idempotencyKey: `summary:${conversationId}:${at}`,
        })
        .catch((err) => log.error({ err }, 'assistant: queueing a handoff summary failed'));
    },

    /** The task: summarise the conversation as the AI and leave it as a note for the team. */
    async run(p: z.infer<typeof SummaryTaskSchema>): Promise<void> {
      const { aiUserId } = await cc.settingsRow(p.orgId);
      const { text } = await copilot.summarise(aiActor(p.orgId, aiUserId), p.conversationId);
      await addSummary(p.orgId, p.conversationId, aiUserId, text);
    },
  };
}
