import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import type { SupportInboxItem } from '@switchboard/protocol';
import { plainText } from '../components/markdown';
import { STATUS_LABEL } from './data';

/**
 * The same contact's other support conversations (same visitor or customer account), from the inbox the
 * console already holds; clicking one opens it.
 */
export function PastConversations(props: { item: SupportInboxItem; all: SupportInboxItem[]; open(id: string): void }) {
  const others = props.all
    .filter((i) => i.customer.id === props.item.customer.id && i.conversation.id !== props.item.conversation.id)
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
