import type { SupportInbox, SupportInboxItem, SupportInboxQuery } from '@switchboard/protocol';
import { SupportStatusSchema } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { type UsersService, usersService } from '../users/users.service.js';
import { assistantRepo } from './assistant.repo.js';
import type { ContactCenter } from './contact-center.js';

/** Filters on routing state, labels or customer apply after the rows are read, so they read further than one page. */
const FILTER_SCAN = 1000;

type InboxQuery = Omit<SupportInboxQuery, 'mine' | 'limit'> & { mine: boolean; limit: number };

/**
 * The agent console's inbox: support conversations (messenger) joined with their routing state (assignee,
 * queue place) and customer, plus the caller's load against the org's per-agent capacity.
 */
export function supportInbox(
  platform: Platform,
  cc: ContactCenter,
  messenger: MessengerService,
  labelsOf: (orgId: string, conversationIds: readonly string[]) => Promise<Map<string, string[]>>,
) {
  const repo = assistantRepo(platform.database);
  const users = usersService(platform);
  return {
    async list(actor: Actor, q: InboxQuery): Promise<SupportInbox> {
      const filtered = q.mine || q.assignee !== undefined || q.label !== undefined || q.channel !== undefined;
      const rows = await messenger.support.list(actor.orgId, {
        status: q.status,
        customer: q.customer,
        limit: filtered ? FILTER_SCAN : q.limit,
      });
      const assignee = q.mine || q.assignee === 'me' ? actor.userId : q.assignee;
      const labels = await labelsOf(
        actor.orgId,
        rows.map((r) => r.conversation.id),
      );
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
        if (assignee !== undefined && state.assignedTo !== (assignee === 'unassigned' ? null : assignee)) continue;
        const labelIds = labels.get(conversation.id) ?? [];
        if (q.label !== undefined && !labelIds.includes(q.label)) continue;
        const customer = await person(conversation.createdBy);
        const kind = customer?.kind ?? 'visitor';
        if (q.channel !== undefined && (q.channel === 'widget') !== (kind === 'visitor')) continue;
        const position = waiting.indexOf(conversation.id);
        items.push({
          conversation,
          status: SupportStatusSchema.catch('ai_active').parse(state.status),
          assignedTo: state.assignedTo,
          queuePosition: position < 0 ? null : position + 1,
          customer: {
            id: conversation.createdBy,
            displayName: customer?.displayName ?? 'Unknown customer',
            kind,
            // A visitor's own address is a placeholder; what they typed into the widget is their contact email.
            email: !customer ? '' : customer.kind === 'user' ? customer.email : (customer.contactEmail ?? ''),
          },
          lastMessage,
          labels: labelIds,
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
