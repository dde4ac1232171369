import type { DashboardUpdatedEvent } from '@switchboard/protocol';
import { rooms } from '../../rooms.js';
import type { AppServer as SocketServer } from '../../socket/types.js';

/** At most one `dashboard.updated` per org per this many ms; a burst's first change goes out at once. */
export const DASHBOARD_PUSH_INTERVAL_MS = 1_000;

export const dashboardRooms = (orgId: string) => [rooms.role(orgId, 'supervisor'), rooms.role(orgId, 'admin')];

/**
 * Pushes `dashboard.updated` to the org's supervisors and admins when a KPI changed, throttled per org
 * (leading edge, then one trailing push carrying every kind seen meanwhile), so a burst of events never
 * floods a browser and the last change is always announced.
 */
export function dashboardLive(io: SocketServer, now: () => number = Date.now) {
  const orgs = new Map<string, { last: number; kinds: Set<string>; timer?: NodeJS.Timeout }>();

  function flush(orgId: string): void {
    const s = orgs.get(orgId);
    if (!s) return;
    s.timer = undefined;
    s.last = now();
    const event: DashboardUpdatedEvent = { at: s.last, kinds: [...s.kinds].sort() };
    s.kinds.clear();
    io.to(dashboardRooms(orgId)).emit('dashboard.updated', event);
  }

  return {
    changed(orgId: string, kind: string): void {
      let s = orgs.get(orgId);
      if (!s) {
        s = { last: 0, kinds: new Set() };
        orgs.set(orgId, s);
      }
      s.kinds.add(kind);
      if (s.timer) return;
      const wait = Math.max(0, s.last + DASHBOARD_PUSH_INTERVAL_MS - now());
      s.timer = setTimeout(() => flush(orgId), wait);
      s.timer.unref?.();
    },
    close(): void {
      for (const s of orgs.values()) if (s.timer) clearTimeout(s.timer);
      orgs.clear();
    },
  };
}
export type DashboardLive = ReturnType<typeof dashboardLive>;
