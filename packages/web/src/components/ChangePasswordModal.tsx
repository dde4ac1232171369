import { Alert, Button, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { SwitchboardError } from '@switchboard/sdk';
import { useState } from 'react';
import { useSessionApi } from '../session';

/** The account menu's "Change password": current and new password; other sessions of mine are signed out. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { changePassword } = useSessionApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setCurrent('');
    setNext('');
    setError(null);
    setDone(false);
    onClose();
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await changePassword(current, next);
      setDone(true);
    } catch (err) {
      const code = err instanceof SwitchboardError ? err.code : '';
      setError(
        code === 'invalid_credentials'
          ? 'The current password is wrong.'
          : err instanceof Error
            ? err.message
            : 'The password could not be changed.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Change password" centered>
      {done ? (
        <Stack>
          <Text data-testid="password-changed">Your password is changed. Your other sessions were signed out.</Text>
          <Button onClick={close}>Done</Button>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <PasswordInput
              label="New password"
              description="At least 10 characters, not a common password and not your email."
              autoComplete="new-password"
              required
              minLength={10}
              value={next}
              onChange={(e) => setNext(e.currentTarget.value)}
            />
            {error && (
              <Alert color="red" data-testid="password-error">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              Change password
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
