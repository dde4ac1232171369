import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { PasswordSchema } from '@switchboard/protocol';
import { acceptInvite, SwitchboardError } from '@switchboard/sdk';
import { type FormEvent, useState } from 'react';
import { Navigate } from 'react-router';
import { useSessionApi } from './session';

const MESSAGES: Record<string, string> = {
  token_invalid: 'This invitation is unknown, already used or expired. Ask your admin for a new one.',
  network: 'The server cannot be reached. Check your connection and try again.',
};

/**
 * `/accept-invite#<token>`: an invited person chooses a password (and optionally their name), then is signed in.
 * The token rides in the fragment, which browsers never send to a server or put in its logs.
 */
export function AcceptInvitePage() {
  const { session, signIn } = useSessionApi();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, '')));
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to="/messenger" replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const valid = PasswordSchema.safeParse(password);
    if (!valid.success) return setError(`Password: ${valid.error.issues[0]?.message ?? 'not valid'}.`);
    if (password !== repeat) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      const accepted = await acceptInvite(
        { url: window.location.origin },
        { token, password, ...(name.trim() ? { displayName: name.trim() } : {}) },
      );
      // The app's session is opened by the session provider, as on the sign-in page.
      await signIn(accepted.user.email, password);
    } catch (err) {
      const code = err instanceof SwitchboardError ? err.code : '';
      setError(MESSAGES[code] ?? (err instanceof Error ? err.message : 'Could not accept the invitation.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} component="main">
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Welcome to Switchboard
              </Title>
              <Text c="dimmed" size="sm">
                Choose a password to finish setting up your account.
              </Text>
            </div>
            {!token && <Alert color="red">This link has no invitation in it. Open the full link you were sent.</Alert>}
            <TextInput
              label="Your name (optional)"
              description="Leave empty to keep the name your admin entered"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={80}
            />
            <PasswordInput
              label="Password"
              description="At least 10 characters"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
            />
            <PasswordInput
              label="Repeat password"
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              autoComplete="new-password"
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy} disabled={!token}>
              Set password and sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
