import type { SupportInbox, SupportInboxItem, SupportStatus } from '@switchboard/protocol';
import { SupportStatusSchema } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { type UsersService, usersService } from '../users/users.service.js';
import { assistantRepo } from './assistant.repo.js';
import type { ContactCenter } from './contact-center.js';

/** `mine` filters after the routing state is known, so it reads further than one page. */
const MINE_SCAN = 1000;

/**
 * The agent console's inbox: support conversations (messenger) joined with their routing state (assignee,
 * queue place) and customer, plus the caller's load against the org's per-agent capacity.
 */
export function supportInbox(platform: Platform, cc: ContactCenter, messenger: MessengerService) {
  const repo = assistantRepo(platform.database);
  const users = usersService(platform);
  return {
    async list(actor: Actor, q: { status?: SupportStatus; mine: boolean; limit: number }): Promise<SupportInbox> {
      const rows = await messenger.support.list(actor.orgId, {
        status: q.status,
        limit: q.mine ? MINE_SCAN : q.limit,
      });
      const waiting = (await repo.waiting(actor.orgId)).map((w) => w.conversationId);
      const people = new Map<string, Promise<Awaited<ReturnType<UsersService['rowById']>>>>();
      const person = (id: string) => {
        let p = people.get(id);
        if (!p) {
          p = users.rowById(actor.orgId, id).catch(() => undefined);
          people.set(id, p);
        }
        return p;
      };
      const items: SupportInboxItem[] = [];
      for (const { conversation, lastMessage } of rows) {
        const state = await cc.state(actor.orgId, conversation.id);
        if (q.mine && state.assignedTo !== actor.userId) continue;
        const customer = await person(conversation.createdBy);
        const position = waiting.indexOf(conversation.id);
        items.push({
          conversation,
          status: SupportStatusSchema.catch('ai_active').parse(state.status),
          assignedTo: state.assignedTo,
          queuePosition: position < 0 ? null : position + 1,
          customer: {
            id: conversation.createdBy,
            displayName: customer?.displayName ?? 'Unknown customer',
            kind: customer?.kind ?? 'visitor',
            // A visitor's own address is a placeholder; what they typed into the widget is their contact email.
            email: !customer ? '' : customer.kind === 'user' ? customer.email : (customer.contactEmail ?? ''),
          },
          lastMessage,
        });
        if (items.length >= q.limit) break;
      }
      const settings = await cc.settings(actor.orgId);
      const active = (await repo.activeCounts(actor.orgId)).get(actor.userId) ?? 0;
      return { items, me: { active, capacity: settings.agentCapacity }, generatedAt: platform.clock.now() };
    },
  };
}
export type SupportInboxService = ReturnType<typeof supportInbox>;
