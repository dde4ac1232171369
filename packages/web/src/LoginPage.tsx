import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { SwitchboardError } from '@switchboard/sdk';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSessionApi } from './session';

const MESSAGES: Record<string, string> = {
  invalid_credentials: 'Wrong email or password.',
  too_many_attempts: 'Too many attempts. Wait a minute and try again.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  network: 'The server cannot be reached. Check your connection and try again.',
  timeout: 'The server did not answer. Try again in a moment.',
};

export function LoginPage() {
  const { session, notice, signIn } = useSessionApi();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/messenger';
  const [email, setEmail] = useState(() => sessionStorage.getItem('sb.lastEmail') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to={from === '/login' ? '/messenger' : from} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Not a disabled button: browsers autofill without telling React until the user interacts.
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      const code = err instanceof SwitchboardError ? err.code : '';
      setError(MESSAGES[code] ?? (err instanceof Error ? err.message : 'Sign-in failed.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="main">
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Switchboard
              </Title>
              <Text c="dimmed" size="sm">
                Sign in to your organization
              </Text>
            </div>
            {notice && (
              <Alert color="yellow" role="status" data-testid="session-notice">
                {notice}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              autoFocus={!email}
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              autoFocus={!!email}
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
