import { Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { EmailSchema, type InviteResponse, type Role, type User } from '@switchboard/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';

const ROLES: Role[] = ['agent', 'supervisor', 'admin', 'customer'];

/** The link an invited person opens to choose a password; the token is in the fragment (never sent to a server). */
export const inviteLink = (token: string) => `${window.location.origin}/accept-invite#${encodeURIComponent(token)}`;

/** "Invite user": email, name and role; the answer is a one-time link (valid 7 days) shown once, to hand over. */
export function InviteUser() {
  const { client } = useSession();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [invalid, setInvalid] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      client.api.users.invite({ email: email.trim(), role, ...(name.trim() ? { displayName: name.trim() } : {}) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const close = () => {
    setOpened(false);
    setEmail('');
    setName('');
    setRole('agent');
    setInvalid(null);
    invite.reset();
  };
  const submit = () => {
    if (!EmailSchema.safeParse(email.trim()).success) return setInvalid('Enter a valid email address.');
    setInvalid(null);
    invite.mutate();
  };
  return (
    <>
      <Button onClick={() => setOpened(true)} data-testid="invite-user">
        Invite user
      </Button>
      <Modal opened={opened} onClose={close} title="Invite a user">
        {invite.data ? (
          <Invited result={invite.data} onDone={close} />
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
            noValidate
          >
            <Stack>
              <TextInput
                label="Email"
                required
                type="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={invalid}
                data-autofocus
              />
              <TextInput label="Name (optional)" value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <Select
                label="Role"
                data={ROLES}
                value={role}
                onChange={(r) => r && setRole(r as Role)}
                allowDeselect={false}
                data-testid="invite-role"
              />
              {invite.error && (
                <Text c="red" size="sm" role="alert">
                  {invite.error.message}
                </Text>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" loading={invite.isPending} data-testid="send-invite">
                  Invite
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}

/** "New link" for someone invited who has not accepted yet: a fresh one-time link; the previous one stops working. */
export function NewInviteLink({ user }: { user: User }) {
  const { client } = useSession();
  const qc = useQueryClient();
  // The answer stays shown while the modal animates closed.
  const [shown, setShown] = useState<InviteResponse | null>(null);
  const [opened, setOpened] = useState(false);
  const reinvite = useMutation({
    mutationFn: () => client.api.users.reinvite(user.id),
    onSuccess: (result) => {
      setShown(result);
      setOpened(true);
      return qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  return (
    <>
      <Button
        size="compact-sm"
        variant="subtle"
        loading={reinvite.isPending}
        onClick={() => reinvite.mutate()}
        aria-label={`New invite link for ${user.displayName}`}
      >
        New link
      </Button>
      {reinvite.error && (
        <Text c="red" size="xs" role="alert">
          {reinvite.error.message}
        </Text>
      )}
      <Modal opened={opened} onClose={() => setOpened(false)} title="New invite link">
        {shown && <Invited result={shown} onDone={() => setOpened(false)} />}
      </Modal>
    </>
  );
}

function Invited({ result, onDone }: { result: InviteResponse; onDone(): void }) {
  const link = inviteLink(result.inviteToken);
  return (
    <Stack>
      <Text size="sm">
        {result.user.email} is invited as {result.user.role}. Send them this link: it works once, until{' '}
        {new Date(result.inviteExpiresAt).toLocaleString()}, and is shown only now.
      </Text>
      <Code block data-testid="invite-link" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {link}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={link}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy link'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
