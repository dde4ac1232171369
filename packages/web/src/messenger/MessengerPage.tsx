import { Box, Button, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { SearchBox } from '../components/SearchBox';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { NewConversation } from './NewConversation';

export function MessengerPage() {
  const { conversationId } = useParams();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  return (
    <Group h="100%" gap={0} wrap="nowrap" align="stretch">
      <Stack
        w={320}
        gap={0}
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
        <SearchBox scope="messenger" onPick={(hit) => navigate(`/messenger/${hit.conversationId}`)} />
        <Box style={{ flex: 1, minHeight: 0 }}>
          <ConversationList activeId={conversationId} />
        </Box>
      </Stack>
      <Box style={{ flex: 1, minWidth: 0 }}>
        {conversationId ? (
          <ConversationView key={conversationId} conversationId={conversationId} />
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
