import { Alert, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { SwitchboardError, unsubscribeEmail } from '@switchboard/sdk';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Where an email digest's unsubscribe link lands (no sign-in needed): the signed token in the link turns
 * email notifications off for the user it names.
 */
export function UnsubscribePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<'working' | 'done' | 'invalid' | 'error'>('working');
  useEffect(() => {
    unsubscribeEmail({ url: window.location.origin }, token).then(
      () => setState('done'),
      (err) =>
        setState(err instanceof SwitchboardError && (err.status === 400 || err.status === 401) ? 'invalid' : 'error'),
    );
  }, [token]);
  return (
    <Center h="100dvh">
      <Stack maw={440} p="lg" data-testid="unsubscribe" data-state={state}>
        <Title order={2}>Email notifications</Title>
        {state === 'working' && <Loader size="sm" />}
        {state === 'done' && (
          <Text>You will no longer get email digests. You can turn them back on under Notifications.</Text>
        )}
        {state === 'invalid' && <Alert color="red">This unsubscribe link is not valid.</Alert>}
        {state === 'error' && <Alert color="orange">Something went wrong; please try the link again later.</Alert>}
      </Stack>
    </Center>
  );
}
