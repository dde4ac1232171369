import { type PresenceStatus, type Role, STAFF_ROLES } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { PresenceRecord } from '../../platform/presence/store.js';
import { rooms } from '../../rooms.js';

export interface PresenceRules {
  idleMs: number;
  heartbeatTimeoutMs: number;
  offlineGraceMs: number;
}

/**
 * A user's status at `now`, from the facts the store keeps. Devices silent for the heartbeat timeout count
 * as gone even before the sweep removes them, so every reader agrees at any instant.
 */
export function statusAt(record: PresenceRecord, now: number, rules: PresenceRules): PresenceStatus {
  const staleBefore = now - rules.heartbeatTimeoutMs;
  const live = record.connections.filter((c) => c.lastHeartbeat >= staleBefore);
  if (live.length === 0) {
    // A reload or a flaky network closes the last socket for a moment: hold the status for the grace.
    const goneAt = Math.max(record.disconnectedAt ?? 0, ...record.connections.map((c) => c.lastHeartbeat));
    if (goneAt === 0 || now >= goneAt + rules.offlineGraceMs) return 'offline';
  }
  if (record.chosen) return record.chosen;
  const devices = live.length > 0 ? live : record.connections;
  if (devices.length === 0) return record.announced === 'away' ? 'away' : 'online';
  const lastActivity = Math.max(...devices.map((c) => c.lastActivity));
  return now - lastActivity >= rules.idleMs ? 'away' : 'online';
}

/** The last sign of life the record knows of; null when it knows none. */
export function lastSeenOf(record: PresenceRecord): number | null {
  const t = Math.max(
    record.disconnectedAt ?? 0,
    ...record.connections.map((c) => Math.max(c.lastHeartbeat, c.lastActivity)),
  );
  return t > 0 ? t : null;
}

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

/**
 * Whether `viewer` may see `target`'s presence. Staff see their org. A customer sees themself and the
 * org's agents only — never supervisors, admins or other customers. (Once the messenger exposes who serves
 * a conversation, this narrows to the agents of the customer's conversations.)
 */
export function canSee(viewer: Actor, target: { orgId: string; userId: string; role: Role }): boolean {
  if (viewer.orgId !== target.orgId) return false;
  if (isStaff(viewer.role)) return true;
  return target.userId === viewer.userId || target.role === 'agent';
}

/**
 * The Socket.IO rooms that hear a user's status changes, all inside their org: an agent's reach the whole
 * org (customers look for available agents); a supervisor's or admin's reach staff only; a customer's reach
 * staff only, never other customers.
 */
export function audienceRooms(orgId: string, role: Role): string[] {
  if (role === 'agent') return [rooms.org(orgId)];
  return rooms.staff(orgId);
}
