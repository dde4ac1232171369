import { randomUUID } from 'node:crypto';
import { type ConversationLabelsEvent, type CreateLabel, CreateLabelSchema, type Label } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { labelsRepo } from './labels.repo.js';

/** Where label changes go live: the org's staff. */
export type LabelsNotifier = (orgId: string, event: ConversationLabelsEvent) => void;

/**
 * Labels of support conversations. The org's label set is managed by supervisors and admins (the routes
 * say so); any staff member puts labels on and takes them off. Customers never see labels.
 */
export function labelsService(platform: Platform, messenger: MessengerService, notify: LabelsNotifier) {
  const repo = labelsRepo(platform.database);

  async function requireLabel(orgId: string, id: string): Promise<Label> {
    const label = await repo.find(orgId, id);
    if (!label) throw new AppError('not_found', 'no such label');
    return label;
  }
  async function announce(orgId: string, conversationId: string) {
    const labelIds = (await repo.of(orgId, [conversationId])).get(conversationId) ?? [];
    notify(orgId, { conversationId, labelIds });
    return labelIds;
  }

  return {
    list: (actor: Actor) => repo.list(actor.orgId),

    async create(actor: Actor, input: CreateLabel): Promise<Label> {
      const { name, color } = CreateLabelSchema.parse(input);
      const nameKey = name.toLowerCase();
      if (await repo.nameTaken(actor.orgId, nameKey))
        throw new AppError('conflict', `there is a label "${name}" already`);
      return repo.insert({
        id: randomUUID(),
        orgId: actor.orgId,
        name,
        nameKey,
        color,
        createdAt: platform.clock.now(),
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await requireLabel(actor.orgId, id);
      for (const conversationId of await repo.remove(actor.orgId, id)) await announce(actor.orgId, conversationId);
    },

    /** Put a label on a support conversation (again: no change). Returns the conversation's labels. */
    async attach(actor: Actor, conversationId: string, labelId: string): Promise<string[]> {
      await messenger.support.get(actor.orgId, conversationId);
      await requireLabel(actor.orgId, labelId);
      await repo.attach(actor.orgId, conversationId, labelId, platform.clock.now());
      return announce(actor.orgId, conversationId);
    },

    async detach(actor: Actor, conversationId: string, labelId: string): Promise<string[]> {
      await messenger.support.get(actor.orgId, conversationId);
      await repo.detach(actor.orgId, conversationId, labelId);
      return announce(actor.orgId, conversationId);
    },

    /** For the inbox: label ids per conversation. */
    of: (orgId: string, conversationIds: readonly string[]) => repo.of(orgId, conversationIds),
  };
}
export type LabelsService = ReturnType<typeof labelsService>;
