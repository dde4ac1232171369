import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  type ConversationNotificationSettings,
  NOTIFICATION_KEYWORDS_MAX,
  type NotificationSettings,
  type UpdateConversationNotification,
} from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSession } from '../session';
import { disablePush, enablePush, type PushState, pushState } from './push';

/** My notifications: this browser's push, push / email switches, quiet hours, keywords, muted conversations. */
export function NotificationSettingsPage() {
  return (
    <Stack p="lg" h="100%" style={{ overflowY: 'auto' }} maw={760} data-testid="notification-settings">
      <Title order={2}>Notifications</Title>
      <BrowserPushCard />
      <SettingsCard />
      <ConversationsCard />
    </Stack>
  );
}

function BrowserPushCard() {
  const { client } = useSession();
  const [state, setState] = useState<PushState | 'loading'>('loading');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    pushState().then(setState, () => setState('unsupported'));
  }, []);
  const run = (fn: () => Promise<PushState>) => {
    setError(null);
    setState('loading');
    fn().then(setState, (e: Error) => {
      setError(e.message);
      void pushState().then(setState);
    });
  };
  const label: Record<PushState, string> = {
    unsupported: 'This browser cannot receive push notifications.',
    default: 'Push is not set up in this browser yet.',
    subscribed: 'This browser gets a notification when a message arrives while Switchboard is closed.',
    unsubscribed: 'Push is off in this browser.',
    denied: 'Notifications are blocked for this site in the browser settings.',
  };
  return (
    <Card withBorder data-testid="push-card" data-state={state}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text fw={600}>This browser</Text>
          <Text size="sm" c="dimmed">
            {state === 'loading' ? 'Checking…' : label[state]}
          </Text>
        </div>
        {state === 'subscribed' ? (
          <Button variant="light" color="gray" onClick={() => run(() => disablePush(client))}>
            Turn off
          </Button>
        ) : (
          <Button
            variant="light"
            disabled={state === 'unsupported' || state === 'denied'}
            loading={state === 'loading'}
            onClick={() => run(() => enablePush(client))}
            data-testid="enable-push"
          >
            Enable push
          </Button>
        )}
      </Group>
      {error && (
        <Text c="red" size="sm" mt="xs">
          {error}
        </Text>
      )}
    </Card>
  );
}

const timezones = (): string[] => {
  const list = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
};

function SettingsCard() {
  const { client } = useSession();
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: ['notification-settings'],
    queryFn: () => client.api.notifications.settings(),
  });
  const save = useMutation({
    mutationFn: (patch: Partial<NotificationSettings>) => client.api.notifications.updateSettings(patch),
    onSuccess: (s) => qc.setQueryData(['notification-settings'], s),
  });
  if (!settings.data) return settings.error ? <Text c="red">{settings.error.message}</Text> : <Loader size="sm" />;
  const s = settings.data;
  const quiet = s.quietHours;
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return (
    <Card withBorder data-testid="notification-settings-card">
      <Stack>
        <Switch
          label="Push notifications"
          description="For new messages while I have no Switchboard tab open"
          checked={s.push}
          onChange={(e) => save.mutate({ push: e.currentTarget.checked })}
          data-testid="setting-push"
        />
        <Switch
          label="Email digest"
          description="At most once a day, when I have been away for a while and have unread messages"
          checked={s.email}
          onChange={(e) => save.mutate({ email: e.currentTarget.checked })}
          data-testid="setting-email"
        />
        <Switch
          label="Quiet hours"
          description="No push notifications in this window"
          checked={quiet !== null}
          onChange={(e) =>
            save.mutate({
              quietHours: e.currentTarget.checked ? { start: '22:00', end: '07:00', timezone: localZone } : null,
            })
          }
          data-testid="setting-quiet"
        />
        {quiet && (
          <Group grow>
            <TextInput
              type="time"
              label="From"
              defaultValue={quiet.start}
              onBlur={(e) =>
                e.currentTarget.value && save.mutate({ quietHours: { ...quiet, start: e.currentTarget.value } })
              }
            />
            <TextInput
              type="time"
              label="Until"
              defaultValue={quiet.end}
              onBlur={(e) =>
                e.currentTarget.value && save.mutate({ quietHours: { ...quiet, end: e.currentTarget.value } })
              }
            />
            <Select
              label="Time zone"
              searchable
              data={timezones()}
              value={quiet.timezone}
              onChange={(tz) => tz && save.mutate({ quietHours: { ...quiet, timezone: tz } })}
            />
          </Group>
        )}
        <TagsInput
          label="Keyword alerts"
          description="A message with one of these words notifies me even in a muted conversation (so does @my name in a group)"
          value={s.keywords}
          maxTags={NOTIFICATION_KEYWORDS_MAX}
          onChange={(keywords) => save.mutate({ keywords: keywords.filter((k) => k.trim().length >= 2) })}
          data-testid="setting-keywords"
        />
        {save.error && (
          <Text c="red" size="sm">
            {save.error.message}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

const MUTE_CHOICES: { value: string; label: string; change: UpdateConversationNotification }[] = [
  { value: 'off', label: 'Not muted', change: { mutedUntil: null } },
  { value: '1h', label: 'Mute 1 hour', change: { muteForMs: 3_600_000 } },
  { value: '8h', label: 'Mute 8 hours', change: { muteForMs: 8 * 3_600_000 } },
  { value: '1w', label: 'Mute 1 week', change: { muteForMs: 7 * 86_400_000 } },
  { value: 'forever', label: 'Mute forever', change: { mutedUntil: 'forever' } },
];

function muteLabel(s: ConversationNotificationSettings | undefined, now: number): string {
  if (!s || s.mutedUntil === null) return 'off';
  if (s.mutedUntil === 'forever') return 'forever';
  return s.mutedUntil > now ? `until ${new Date(s.mutedUntil).toLocaleString()}` : 'off';
}

function ConversationsCard() {
  const { client } = useSession();
  const qc = useQueryClient();
  const conversations = useQuery({
    queryKey: ['conversations', 'for-notifications'],
    queryFn: () => client.api.conversations.list({ limit: 100 }),
  });
  const perConversation = useQuery({
    queryKey: ['notification-conversations'],
    queryFn: () => client.api.notifications.conversations(),
  });
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: UpdateConversationNotification }) =>
      client.api.notifications.updateConversation(id, change),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notification-conversations'] }),
  });
  if (!conversations.data || !perConversation.data) return <Loader size="sm" />;
  const byId = new Map(perConversation.data.items.map((c) => [c.conversationId, c]));
  const now = Date.now();
  return (
    <Card withBorder data-testid="conversation-notifications">
      <Text fw={600} mb="xs">
        Conversations
      </Text>
      {conversations.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No conversations yet.
        </Text>
      )}
      <Table>
        <Table.Tbody>
          {conversations.data.items.map((c) => {
            const s = byId.get(c.id);
            const muted = muteLabel(s, now);
            return (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Text size="sm">{c.name ?? (c.kind === 'direct' ? 'Direct conversation' : 'Support')}</Text>
                  {muted !== 'off' && (
                    <Badge size="xs" color="gray">
                      muted {muted}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td w={180}>
                  <Select
                    size="xs"
                    aria-label={`Mute ${c.name ?? 'conversation'}`}
                    data={MUTE_CHOICES.map(({ value, label }) => ({ value, label }))}
                    value={muted === 'forever' ? 'forever' : muted === 'off' ? 'off' : null}
                    placeholder="Muted"
                    onChange={(v) => {
                      const choice = MUTE_CHOICES.find((m) => m.value === v);
                      if (choice) update.mutate({ id: c.id, change: choice.change });
                    }}
                  />
                </Table.Td>
                <Table.Td w={150}>
                  <Switch
                    size="xs"
                    label="Hide preview"
                    checked={s?.hidePreview ?? false}
                    onChange={(e) => update.mutate({ id: c.id, change: { hidePreview: e.currentTarget.checked } })}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
