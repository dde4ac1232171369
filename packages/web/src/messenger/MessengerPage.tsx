import { Box, Button, Center, Group, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { SearchHit } from '@switchboard/protocol';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { SearchBox } from '../components/SearchBox';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { useConversationTitle } from './data';
import { NewConversation } from './NewConversation';

/** A search hit's conversation as the list names it: a direct message by the other member's name. */
function HitTitle({ hit }: { hit: SearchHit }) {
  return (
    <>{useConversationTitle({ id: hit.conversationId, kind: hit.conversationKind, name: hit.conversationName })}</>
  );
}

/**
 * The staff messenger: my conversations beside the open one. On a phone (up to 48em) they are two screens:
 * the list, then the conversation with a way back.
 */
export function MessengerPage() {
  const { conversationId } = useParams();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  return (
    <Group h="100%" gap={0} wrap="nowrap" align="stretch">
      <Stack
        w={phone ? '100%' : 320}
        gap={0}
        display={phone && conversationId ? 'none' : undefined}
        style={{ flex: 'none', borderRight: '1px solid var(--mantine-color-default-border)' }}
        component="aside"
      >
        <Group justify="space-between" px="md" py="sm">
          <Title order={2} size="h4">
            Messages
          </Title>
          <Button size="compact-sm" onClick={() => setCreating(true)} data-testid="new-conversation">
            New
          </Button>
        </Group>
        <SearchBox
          scope="messenger"
          onPick={(hit) => navigate(`/messenger/${hit.conversationId}`)}
          describe={(hit) => <HitTitle hit={hit} />}
        />
        <Box style={{ flex: 1, minHeight: 0 }}>
          <ConversationList activeId={conversationId} />
        </Box>
      </Stack>
      <Box
        style={{ flex: 1, minWidth: 0, display: phone && !conversationId ? 'none' : 'flex', flexDirection: 'column' }}
      >
        {phone && conversationId && (
          <UnstyledButton px="md" py={6} onClick={() => navigate('/messenger')} data-testid="messenger-back">
            <Text size="sm" c="blue">
              ← All conversations
            </Text>
          </UnstyledButton>
        )}
        {conversationId ? (
          <Box style={{ flex: 1, minHeight: 0 }}>
            <ConversationView key={conversationId} conversationId={conversationId} />
          </Box>
        ) : (
          <Center h="100%">
            <Text c="dimmed">Pick a conversation, or start a new one.</Text>
          </Center>
        )}
      </Box>
      <NewConversation opened={creating} onClose={() => setCreating(false)} />
    </Group>
  );
}
