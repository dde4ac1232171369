import { randomUUID } from 'node:crypto';
import type { ConversationStatusEvent, SupportStatus } from '@switchboard/protocol';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { assistantRepo, type SupportStateRow } from './assistant.repo.js';
import { outcomeMetrics } from './outcome-metrics.js';
import type { SupportNotifier } from './support-notifier.js';

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

/**
 * The state of support conversations: status, queue place and owner (one row per conversation), the
 * `conversation.status` push, and the outcome log (what happened to each question, for the dashboard and
 * the metrics). Statuses are also set on the conversation through the messenger's service, never its tables.
 */
export function supportState(platform: Platform, notify: SupportNotifier, messenger: MessengerService) {
  const repo = assistantRepo(platform.database);
  // Hooks for the approval queue (which depends on this module, not the reverse).
  const humanListeners = new Set<(orgId: string, conversationId: string) => Promise<void>>();
  // The dashboard hears outcomes and status changes through `onChange` (wired in services.ts).
  const changeListeners = new Set<(change: ContactCenterChange) => void>();
  const { outcomesTotal, outcomeLatency } = outcomeMetrics(platform.metrics.registry);

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

  return {
    state,
    queuePosition,
    /** The conversations waiting for a person, oldest request first. */
    waiting: (orgId: string) => repo.waiting(orgId),

    /** Store the status (state row + messenger event) and push `conversation.status` to customer and staff. */
    async setStatus(
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
    },

    /** Log an outcome (auto_sent, queued, assigned, resolved, csat, …) and tell the change listeners. */
    async record(
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

    /** Hear a conversation passing to a person (`human_active`). */
    onHuman(listener: (orgId: string, conversationId: string) => Promise<void>): void {
      humanListeners.add(listener);
    },

    /** Hear every outcome and status change after it is stored (the dashboard); listeners must not throw. */
    onChange(listener: (change: ContactCenterChange) => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
}
export type SupportState = ReturnType<typeof supportState>;
