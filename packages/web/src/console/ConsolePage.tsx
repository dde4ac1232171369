import { Center, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../session';

/** The agent console's shell; the inbox and approval queue arrive with the AI contact center (issue 10). */
export function ConsolePage() {
  const { user } = useSession();
  return (
    <Center h="100%" p="xl" data-testid="console">
      <Stack align="center" gap="xs">
        <Title order={2}>Agent console</Title>
        <Text c="dimmed">
          Signed in as {user.displayName} ({user.role}). The support inbox and approval queue will appear here.
        </Text>
      </Stack>
    </Center>
  );
}
