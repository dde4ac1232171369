import { Button, Card, Checkbox, Group, Loader, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { OpeningRange, SupportSettings } from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** One range per weekday here (the API allows several); a close at or before the open runs overnight. */
function dayRange(hours: OpeningRange[], day: number): OpeningRange | undefined {
  return hours.find((h) => h.day === day);
}

/** Admin: business hours (timezone, weekly hours), the away message, and the widget's pre-chat form. */
export function SupportHoursCard() {
  const { client } = useSession();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['support-hours-settings'], queryFn: () => client.api.supportHours.settings() });
  const [draft, setDraft] = useState<SupportSettings | null>(null);
  const save = useMutation({
    mutationFn: (s: SupportSettings) => client.api.supportHours.updateSettings(s),
    onSuccess: (s) => {
      qc.setQueryData(['support-hours-settings'], s);
      setDraft(null);
    },
  });
  if (!query.data) return <Loader size="sm" />;
  const s = draft ?? query.data;
  const set = (patch: Partial<SupportSettings>) => setDraft({ ...s, ...patch });
  const setDay = (day: number, range: Omit<OpeningRange, 'day'> | null) =>
    set({
      hours: [...s.hours.filter((h) => h.day !== day), ...(range ? [{ day, ...range }] : [])].sort(
        (a, b) => a.day - b.day,
      ),
    });

  return (
    <Card withBorder data-testid="support-hours-card">
      <Stack gap="sm">
        <Title order={4}>Business hours and pre-chat form</Title>
        <Switch
          label="Use business hours (outside them the widget shows the away message; the AI still answers)"
          checked={s.hoursEnabled}
          onChange={(e) => set({ hoursEnabled: e.currentTarget.checked })}
        />
        <TextInput
          label="Timezone (IANA, e.g. Europe/Berlin)"
          value={s.timezone}
          onChange={(e) => set({ timezone: e.currentTarget.value })}
          maw={320}
        />
        <Stack gap={4}>
          {DAYS.map((name, day) => {
            const r = dayRange(s.hours, day);
            return (
              <Group key={name} gap="xs" wrap="nowrap">
                <Checkbox
                  w={130}
                  label={name}
                  checked={!!r}
                  onChange={(e) => setDay(day, e.currentTarget.checked ? { open: '09:00', close: '17:00' } : null)}
                />
                {r && (
                  <>
                    <TextInput
                      type="time"
                      aria-label={`${name} opens`}
                      size="xs"
                      value={r.open}
                      onChange={(e) => setDay(day, { open: e.currentTarget.value, close: r.close })}
                    />
                    <Text size="xs">to</Text>
                    <TextInput
                      type="time"
                      aria-label={`${name} closes`}
                      size="xs"
                      value={r.close}
                      onChange={(e) => setDay(day, { open: r.open, close: e.currentTarget.value })}
                    />
                  </>
                )}
              </Group>
            );
          })}
        </Stack>
        <Textarea
          label="Away message"
          autosize
          minRows={2}
          value={s.awayMessage}
          maxLength={1000}
          onChange={(e) => set({ awayMessage: e.currentTarget.value })}
        />
        <Switch
          label="Pre-chat form: ask the visitor's name"
          checked={s.prechatName}
          onChange={(e) => set({ prechatName: e.currentTarget.checked })}
        />
        <Switch
          label="Pre-chat form: ask the visitor's email"
          checked={s.prechatEmail}
          onChange={(e) => set({ prechatEmail: e.currentTarget.checked })}
        />
        {save.error && (
          <Text size="sm" c="red">
            {save.error.message}
          </Text>
        )}
        <Group>
          <Button disabled={!draft} loading={save.isPending} onClick={() => draft && save.mutate(draft)}>
            Save hours
          </Button>
          {draft && (
            <Button variant="subtle" onClick={() => setDraft(null)}>
              Discard
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
