import { Alert, Box, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { SupportHours } from '@switchboard/protocol';
import type { SwitchboardClient } from '@switchboard/sdk';
import { useEffect, useState } from 'react';

/** The team's hours as the widget sees them; null until loaded (or when they could not be read: chat anyway). */
export function useSupportHours(client: SwitchboardClient): SupportHours | null {
  const [hours, setHours] = useState<SupportHours | null>(null);
  useEffect(() => {
    let live = true;
    client.api.supportHours
      .hours()
      .then((h) => live && setHours(h))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [client]);
  return hours;
}

/** "Mon 09:00", in the visitor's own timezone and language. */
export function formatOpening(t: number): string {
  return new Date(t).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Outside business hours: when the team is back, the org's away message, and a place to leave an email. */
export function AwayNotice({ client, hours }: { client: SwitchboardClient; hours: SupportHours }) {
  const [email, setEmail] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (!EMAIL.test(email.trim())) return setError('Enter a valid email address.');
    setError(null);
    try {
      const contact = await client.api.supportHours.setContact({ email: email.trim() });
      setSaved(contact.email);
    } catch {
      setError('Your email could not be saved. Try again.');
    }
  };
  return (
    <Alert color="gray" radius={0} py="xs" data-testid="widget-away" title="We're away">
      <Text size="sm">
        {hours.nextOpenAt ? `We'll answer from ${formatOpening(hours.nextOpenAt)}.` : "We'll answer as soon as we can."}{' '}
        Our assistant can still help now.
      </Text>
      {hours.awayMessage && (
        <Text size="sm" c="dimmed">
          {hours.awayMessage}
        </Text>
      )}
      {saved ? (
        <Text size="sm" mt={4} data-testid="widget-away-saved">
          Thanks — we'll reply to {saved}.
        </Text>
      ) : (
        <Group gap="xs" mt={6} wrap="nowrap" align="flex-start">
          <TextInput
            aria-label="Your email"
            placeholder="you@example.com"
            size="xs"
            style={{ flex: 1 }}
            value={email}
            error={error}
            onChange={(e) => setEmail(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void save()}
          />
          <Button size="xs" onClick={() => void save()}>
            Leave email
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** The pre-chat form (org setting): name and/or email before the first message; what is given is what staff see. */
export function PrechatForm(props: { client: SwitchboardClient; hours: SupportHours; onDone(): void }) {
  const { client, hours } = props;
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (hours.prechatName && !name.trim()) return setError('Please tell us your name.');
    if (hours.prechatEmail && !EMAIL.test(email.trim())) return setError('Enter a valid email address.');
    setError(null);
    setBusy(true);
    try {
      await client.api.supportHours.setContact({
        ...(hours.prechatName ? { displayName: name.trim() } : {}),
        ...(hours.prechatEmail ? { email: email.trim() } : {}),
      });
      props.onDone();
    } catch {
      setError('That did not work. Check your details and try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box p="md" data-testid="widget-prechat">
      <Stack gap="sm">
        <Text size="sm">Before we start, tell us who you are so we can get back to you.</Text>
        {hours.prechatName && (
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={80} />
        )}
        {hours.prechatEmail && (
          <TextInput label="Email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        )}
        {error && (
          <Text size="xs" c="red" data-testid="widget-prechat-error">
            {error}
          </Text>
        )}
        <Button onClick={() => void submit()} loading={busy}>
          Start chat
        </Button>
      </Stack>
    </Box>
  );
}
