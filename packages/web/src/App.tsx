import { type Role, STAFF_ROLES } from '@switchboard/protocol';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AcceptInvitePage } from './AcceptInvitePage';
import { KnowledgePage } from './admin/KnowledgePage';
import { SettingsPage } from './admin/SettingsPage';
import { UsersPage } from './admin/UsersPage';
import { Forbidden, NotFound } from './components/Pages';
import { Shell } from './components/Shell';
import { ConsolePage } from './console/ConsolePage';
import { DashboardPage } from './dashboard/DashboardPage';
import { LoginPage } from './LoginPage';
import { MessengerPage } from './messenger/MessengerPage';
import { NotificationSettingsPage } from './notifications/NotificationSettingsPage';
import { UnsubscribePage } from './notifications/UnsubscribePage';
import { OnlinePage } from './presence/OnlinePage';
import { useSessionApi } from './session';
import { TasksPage } from './tasks/TasksPage';

export const STAFF = STAFF_ROLES;
export const ADMINS: readonly Role[] = ['admin'];
/** The knowledge base: the server lets supervisors manage it too. */
export const KB_EDITORS: readonly Role[] = ['supervisor', 'admin'];
/** The supervisor dashboard. */
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];

/** Signed-in users with one of `roles` only; others see "forbidden", strangers go to sign-in and come back. */
function Guard({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { session } = useSessionApi();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !roles.includes(session.user.role)) return <Forbidden />;
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/unsubscribe" element={<UnsubscribePage />} />
      <Route path="/accept-invite" element={<AcceptInvitePage />} />
      <Route
        element={
          <Guard>
            <Shell />
          </Guard>
        }
      >
        <Route index element={<Navigate to="/messenger" replace />} />
        <Route path="/messenger" element={<MessengerPage />} />
        <Route path="/messenger/:conversationId" element={<MessengerPage />} />
        <Route
          path="/console/*"
          element={
            <Guard roles={STAFF}>
              <ConsolePage />
            </Guard>
          }
        />
        <Route
          path="/dashboard"
          element={
            <Guard roles={SUPERVISORS}>
              <DashboardPage />
            </Guard>
          }
        />
        <Route
          path="/admin/users"
          element={
            <Guard roles={ADMINS}>
              <UsersPage />
            </Guard>
          }
        />
        <Route
          path="/admin/knowledge"
          element={
            <Guard roles={KB_EDITORS}>
              <KnowledgePage />
            </Guard>
          }
        />
        <Route
          path="/admin/settings"
          element={
            <Guard roles={ADMINS}>
              <SettingsPage />
            </Guard>
          }
        />
        <Route path="/settings/notifications" element={<NotificationSettingsPage />} />
        <Route path="/online" element={<OnlinePage />} />
        <Route
          path="/tasks"
          element={
            <Guard roles={STAFF}>
              <TasksPage />
            </Guard>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
