import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { User } from '@switchboard/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';

/** Deactivate (after a confirmation: their sessions end at once) or reactivate a user. */
export function UserActiveToggle({ user, disabled }: { user: User; disabled: boolean }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const change = useMutation({
    mutationFn: () => (user.active ? client.api.users.deactivate(user.id) : client.api.users.reactivate(user.id)),
    onSuccess: () => {
      setConfirm(false);
      return qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  if (!user.active) {
    return (
      <Button
        size="compact-sm"
        variant="light"
        disabled={disabled}
        loading={change.isPending}
        onClick={() => change.mutate()}
        aria-label={`Reactivate ${user.displayName}`}
      >
        Reactivate
      </Button>
    );
  }
  return (
    <>
      <Button
        size="compact-sm"
        variant="subtle"
        color="red"
        disabled={disabled}
        onClick={() => setConfirm(true)}
        aria-label={`Deactivate ${user.displayName}`}
      >
        Deactivate
      </Button>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={`Deactivate ${user.displayName}?`}>
        <Stack>
          <Text size="sm">
            They are signed out everywhere at once and cannot sign in until an admin reactivates them. Their messages
            stay.
          </Text>
          {change.error && (
            <Text c="red" size="sm" role="alert">
              {change.error.message}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={change.isPending}
              onClick={() => change.mutate()}
              data-testid="confirm-deactivate"
            >
              Deactivate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
