import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function Forbidden() {
  return (
    <Center h="100%" p="xl" data-testid="forbidden">
      <Stack align="center" gap="xs">
        <Title order={2}>You do not have access to this page</Title>
        <Text c="dimmed">It is for other roles in your organization.</Text>
        <Button component={Link} to="/messenger" variant="light">
          Go to messages
        </Button>
      </Stack>
    </Center>
  );
}

export function NotFound() {
  return (
    <Center h="100%" p="xl">
      <Stack align="center" gap="xs">
        <Title order={2}>Page not found</Title>
        <Button component={Link} to="/messenger" variant="light">
          Go to messages
        </Button>
      </Stack>
    </Center>
  );
}
