import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import type { SupportInboxItem } from '@switchboard/protocol';
import { useQuery } from '@tanstack/react-query';
import { plainText } from '../components/markdown';
import { useSession } from '../session';
import { STATUS_LABEL } from './data';

/**
 * The same contact's other support conversations (same visitor or customer account), asked of the server
 * (the inbox filtered by customer), so older ones show too; clicking one opens it. Under the `console` query
 * key, so the console's live refreshes update it.
 */
export function PastConversations(props: { item: SupportInboxItem; open(id: string): void }) {
  const { client } = useSession();
  const customerId = props.item.customer.id;
  const past = useQuery({
    queryKey: ['console', 'past', customerId],
    queryFn: () => client.api.support.inbox({ customer: customerId, limit: 20 }),
  });
  const others = (past.data?.items ?? [])
    .filter((i) => i.conversation.id !== props.item.conversation.id)
    .sort((a, b) => b.conversation.createdAt - a.conversation.createdAt);
  if (others.length === 0) return null;
  return (
    <Group
      gap={6}
      px="md"
      py={4}
      wrap="nowrap"
      data-testid="past-conversations"
      style={{ overflowX: 'auto', borderBottom: '1px solid var(--mantine-color-default-border)' }}
    >
      <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
        Other conversations with {props.item.customer.displayName}:
      </Text>
      {others.map((o) => (
        <UnstyledButton
          key={o.conversation.id}
          onClick={() => props.open(o.conversation.id)}
          data-testid="past-conversation"
          style={{ flex: 'none' }}
        >
          <Badge
            variant="outline"
            color={STATUS_LABEL[o.status].color}
            style={{ cursor: 'pointer', textTransform: 'none' }}
          >
            {new Date(o.conversation.createdAt).toLocaleDateString()} ·{' '}
            {o.lastMessage?.text ? plainText(o.lastMessage.text).slice(0, 30) : 'No messages'}
          </Badge>
        </UnstyledButton>
      ))}
    </Group>
  );
}
