import { Box, Group, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { ChosenStatus, PresenceStatus, UserPresence } from '@switchboard/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ago } from '../format';
import { useNow, usePresence } from '../hooks';
import { useSession } from '../session';

const COLORS: Record<PresenceStatus, string> = {
  online: 'var(--mantine-color-green-6)',
  away: 'var(--mantine-color-yellow-6)',
  busy: 'var(--mantine-color-red-6)',
  offline: 'var(--mantine-color-gray-5)',
};
const LABELS: Record<PresenceStatus, string> = { online: 'Online', away: 'Away', busy: 'Busy', offline: 'Offline' };

export function presenceLabel(p: UserPresence | null | undefined, now = Date.now()): string {
  if (!p) return 'Status unknown';
  if (p.status === 'offline') return p.lastSeen ? `Offline · last seen ${ago(p.lastSeen, now)}` : 'Offline';
  return LABELS[p.status];
}

export function PresenceDot({ status, size = 10 }: { status: PresenceStatus | undefined; size?: number }) {
  return (
    <Box
      component="span"
      aria-hidden
      style={{
        display: 'inline-block',
        width: size,
        height: size,
        borderRadius: '50%',
        background: COLORS[status ?? 'offline'],
        border: '2px solid var(--mantine-color-body)',
        flex: 'none',
      }}
    />
  );
}

/** A user's dot with "Online" / "last seen 5 min ago" as its accessible name and tooltip. */
export function UserPresenceDot({ userId }: { userId: string }) {
  const { data } = usePresence(userId);
  const now = useNow();
  const label = presenceLabel(data, now);
  return (
    <Tooltip label={label} withArrow>
      <span role="img" aria-label={label} data-testid="presence-dot" data-status={data?.status ?? 'unknown'}>
        <PresenceDot status={data?.status} />
      </span>
    </Tooltip>
  );
}

/** My own status: online / away / busy. */
export function StatusPicker() {
  const { client, user } = useSession();
  const qc = useQueryClient();
  const { data } = usePresence(user.id);
  const [error, setError] = useState<string | null>(null);
  const choose = async (status: ChosenStatus) => {
    setError(null);
    try {
      const p = await client.presence.setStatus(status);
      qc.setQueryData(['presence', user.id], p);
    } catch {
      setError('Status can only change while connected');
    }
  };
  const current = data?.status ?? 'online';
  return (
    <Menu position="bottom-end" withArrow>
      <Menu.Target>
        <UnstyledButton aria-label={`Your status: ${LABELS[current]}. Change status`} data-testid="status-picker">
          <Group gap={6} wrap="nowrap">
            <PresenceDot status={current} />
            <Text size="sm">{LABELS[current]}</Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Set your status</Menu.Label>
        {(['online', 'away', 'busy'] as const).map((s) => (
          <Menu.Item key={s} leftSection={<PresenceDot status={s} />} onClick={() => void choose(s)}>
            {LABELS[s]}
          </Menu.Item>
        ))}
        {error && (
          <Text size="xs" c="red" px="sm" pb="xs">
            {error}
          </Text>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
