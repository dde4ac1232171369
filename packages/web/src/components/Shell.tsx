import { Alert, AppShell, Avatar, Box, Button, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { ADMINS, KB_EDITORS, STAFF, SUPERVISORS } from '../App';
import { initials } from '../format';
import { PresenceSync, useConnectionState } from '../hooks';
import { useSession, useSessionApi } from '../session';
import { ChangePasswordModal } from './ChangePasswordModal';
import { StatusPicker } from './Presence';

/**
 * Tells the user when live updates are not live: while reconnecting (after a first connection, or when the
 * first takes more than a moment) and while the SDK falls back to HTTP polling.
 */
function ConnectionBanner() {
  const state = useConnectionState();
  const everConnected = useRef(false);
  const [slowStart, setSlowStart] = useState(false);
  if (state === 'websocket') everConnected.current = true;
  useEffect(() => {
    if (state !== 'connecting') return setSlowStart(false);
    const t = setTimeout(() => setSlowStart(true), 2_000);
    return () => clearTimeout(t);
  }, [state]);
  if (state === 'polling') {
    return (
      <Alert color="yellow" radius={0} py={6} role="status" data-testid="connection-banner" data-state="polling">
        Live connection unavailable — checking for new messages every few seconds.
      </Alert>
    );
  }
  if (state === 'connecting' && (everConnected.current || slowStart)) {
    return (
      <Alert color="orange" radius={0} py={6} role="status" data-testid="connection-banner" data-state="connecting">
        {everConnected.current ? 'Connection lost — reconnecting…' : 'Connecting…'} Messages you send will go out once
        it is back.
      </Alert>
    );
  }
  return null;
}

const link = (to: string, label: string) => (
  <Button component={NavLink} to={to} variant="subtle" size="compact-md" className="nav-link" style={{ flexShrink: 0 }}>
    {label}
  </Button>
);

export function Shell() {
  const { user, org } = useSession();
  const { signOut } = useSessionApi();
  const [passwordOpen, setPasswordOpen] = useState(false);
  return (
    <AppShell header={{ height: 56 }} padding={0}>
      <PresenceSync />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap" style={{ minWidth: 0 }}>
            <Text fw={700} size="lg" visibleFrom="sm">
              Switchboard
            </Text>
            {/* One line on a phone: the links scroll sideways instead of wrapping over the page. */}
            <Group gap={4} component="nav" aria-label="Main" wrap="nowrap" className="main-nav">
              {link('/messenger', 'Messages')}
              {STAFF.includes(user.role) && link('/console', 'Console')}
              {SUPERVISORS.includes(user.role) && link('/dashboard', 'Dashboard')}
              {ADMINS.includes(user.role) && link('/admin/users', 'Users')}
              {KB_EDITORS.includes(user.role) && link('/admin/knowledge', 'Knowledge')}
              {ADMINS.includes(user.role) && link('/admin/settings', 'Settings')}
              {STAFF.includes(user.role) && link('/tasks', 'Tasks')}
            </Group>
          </Group>
          <Group gap="md" wrap="nowrap">
            <StatusPicker />
            <Menu position="bottom-end" withArrow>
              <Menu.Target>
                <UnstyledButton aria-label="Account menu" data-testid="account-menu">
                  <Group gap="xs" wrap="nowrap">
                    <Avatar size="sm" color="blue" radius="xl">
                      {initials(user.displayName)}
                    </Avatar>
                    {/* On a phone the avatar alone: the name and org are in the menu's label. */}
                    <Box visibleFrom="sm" style={{ lineHeight: 1.1, maxWidth: 220, minWidth: 0 }}>
                      <Text size="sm" fw={500} lineClamp={1}>
                        {user.displayName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {user.role} · {org.name}
                      </Text>
                    </Box>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {user.displayName} · {user.role} · {org.name}
                  <br />
                  {user.email}
                </Menu.Label>
                <Menu.Item component={NavLink} to="/online" data-testid="online-link">
                  Who is online
                </Menu.Item>
                <Menu.Item component={NavLink} to="/settings/notifications" data-testid="notification-settings-link">
                  Notifications
                </Menu.Item>
                <Menu.Item onClick={() => setPasswordOpen(true)} data-testid="change-password">
                  Change password
                </Menu.Item>
                <Menu.Item onClick={() => void signOut()} data-testid="sign-out">
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main style={{ display: 'flex', flexDirection: 'column', height: '100dvh' }}>
        <ConnectionBanner />
        <div style={{ flex: 1, minHeight: 0 }}>
          <Outlet />
        </div>
      </AppShell.Main>
      <ChangePasswordModal opened={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </AppShell>
  );
}
