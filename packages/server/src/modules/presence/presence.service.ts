import type {
  ChosenStatus,
  HeartbeatAck,
  OnlineStatusPage,
  OnlineStatusQuery,
  PresenceStats,
  PresenceStatus,
  Role,
  UserPresence,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Clock, Platform } from '../../platform/platform.js';
import type { PresenceRecord, PresenceStore } from '../../platform/presence/store.js';
import { usersService } from '../users/users.service.js';
import { presenceRepo } from './presence.repo.js';
import { canSee, isStaff, lastSeenOf, type PresenceRules, statusAt } from './presence.rules.js';

/** lastSeen reaches the database at most this often per user. */
export const LAST_SEEN_WRITE_MS = 30_000;
/**
 * A device's activity is recorded at most this often (or a tenth of the idle time, if shorter): the idle timer
 * counts minutes, and recording every event would rewrite the same record for each message a person sends.
 */
export const ACTIVITY_RESOLUTION_MS = 5_000;
/** At most this many users in one `online:users` answer; REST pages through all of them. */
export const ONLINE_LIST_MAX = 1000;

/** A status others should hear about, with who may hear it decided by the transport from `role`. */
export interface PresenceChange {
  orgId: string;
  role: Role;
  presence: UserPresence;
}

/** Names and roles of users, from the users module (tests may pass their own). */
export interface PresenceDirectory {
  lookup(orgId: string, userId: string): Promise<{ username: string; role: Role } | undefined>;
}

export interface PresenceServiceOptions {
  store?: PresenceStore;
  clock?: Clock;
  rules?: Partial<PresenceRules>;
  directory?: PresenceDirectory;
}

function usersDirectory(platform: Platform): PresenceDirectory {
  const users = usersService(platform);
  return {
    async lookup(orgId, userId) {
      try {
        const u = await users.get(orgId, userId);
        return { username: u.displayName, role: u.role };
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return undefined;
        throw err;
      }
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const key = (orgId: string, userId: string) => `${orgId} ${userId}`;

/**
 * Presence: who is online, away, busy or offline across their devices. Devices are socket connections
 * (id = socket id) or HTTP clients (id = `http:<sessionId>`) that send heartbeats. Status changes are
 * announced to `onChange` listeners; the socket layer fans them out.
 */
export function presenceService(platform: Platform, opts: PresenceServiceOptions = {}) {
  const store = opts.store ?? platform.presence;
  const clock = opts.clock ?? platform.clock;
  const rules: PresenceRules = { ...platform.config.presence, ...opts.rules };
  const directory = opts.directory ?? usersDirectory(platform);
  const repo = presenceRepo(platform.database);
  const listeners = new Set<(change: PresenceChange) => void>();
  /** Per user: when lastSeen was last written, and the newer value waiting for the next write. */
  const lastSeenWrites = new Map<string, { orgId: string; userId: string; savedAt: number; pending: number | null }>();

  function toPresence(record: PresenceRecord, status: PresenceStatus): UserPresence {
    return { userId: record.userId, username: record.username, status, lastSeen: lastSeenOf(record) };
  }

  function noteSeen(orgId: string, userId: string, at: number | null) {
    if (at === null) return;
    const k = key(orgId, userId);
    const entry = lastSeenWrites.get(k);
    if (!entry) lastSeenWrites.set(k, { orgId, userId, savedAt: Number.NEGATIVE_INFINITY, pending: at });
    else if (entry.pending === null || at > entry.pending) entry.pending = at;
  }

  /** Tell listeners when the status others see has changed since the last announcement. */
  async function announce(record: PresenceRecord, now: number): Promise<PresenceStatus> {
    const status = statusAt(record, now, rules);
    if (record.announced === status) return status;
    await store.setAnnounced(record.orgId, record.userId, status);
    const change: PresenceChange = { orgId: record.orgId, role: record.role, presence: toPresence(record, status) };
    for (const listener of listeners) listener(change);
    return status;
  }

  async function connect(
    actor: Actor,
    connectionId: string,
    kind: 'socket' | 'http',
    now = clock.now(),
  ): Promise<UserPresence> {
    const existing = await store.get(actor.orgId, actor.userId);
    const username = existing?.username ?? (await directory.lookup(actor.orgId, actor.userId))?.username;
    const chosen = existing ? undefined : ((await repo.find(actor.orgId, actor.userId))?.chosenStatus ?? null);
    const record = await store.connect(
      { orgId: actor.orgId, userId: actor.userId, role: actor.role, username: username ?? 'unknown' },
      { id: connectionId, kind },
      now,
      chosen,
    );
    noteSeen(actor.orgId, actor.userId, now);
    return toPresence(record, await announce(record, now));
  }

  async function touch(actor: Actor, connectionId: string, active: boolean, kind: 'socket' | 'http', now: number) {
    const record = await store.touch(actor.orgId, actor.userId, connectionId, now, active);
    // A device the sweep dropped (its heartbeats were late) that beats again is back.
    if (!record) return connect(actor, connectionId, kind, now);
    noteSeen(actor.orgId, actor.userId, now);
    return toPresence(record, await announce(record, now));
  }

  async function visibleRecords(actor: Actor, now: number, status?: PresenceStatus) {
    const records = await store.list(actor.orgId);
    return records
      .map((record) => ({ record, status: statusAt(record, now, rules) }))
      .filter((r) => r.status !== 'offline' && (!status || r.status === status) && canSee(actor, r.record))
      .sort((a, b) => (a.record.userId < b.record.userId ? -1 : a.record.userId > b.record.userId ? 1 : 0));
  }

  /** One user's presence, if `actor` may see them; `not_found` otherwise (also for another org's user). */
  async function get(actor: Actor, targetUserId: string): Promise<UserPresence> {
    const now = clock.now();
    const record = await store.get(actor.orgId, targetUserId);
    if (record && canSee(actor, record)) return toPresence(record, statusAt(record, now, rules));
    const user = record ?? (await directory.lookup(actor.orgId, targetUserId));
    if (!user || !canSee(actor, { orgId: actor.orgId, userId: targetUserId, role: user.role })) {
      throw new AppError('not_found', 'no such user');
    }
    const stored = await repo.find(actor.orgId, targetUserId);
    // A value waiting for its write window is newer than the stored one.
    const pending = lastSeenWrites.get(key(actor.orgId, targetUserId))?.pending ?? null;
    const lastSeen = Math.max(stored?.lastSeen ?? 0, pending ?? 0) || null;
    return { userId: targetUserId, username: user.username, status: 'offline', lastSeen };
  }

  /** Write pending lastSeen values: those due (30 s after the last write), or all of them at shutdown. */
  async function flushLastSeen(all: boolean): Promise<number> {
    const now = clock.now();
    const due: { orgId: string; userId: string; lastSeen: number }[] = [];
    for (const [k, entry] of lastSeenWrites) {
      const quiet = now - entry.savedAt >= LAST_SEEN_WRITE_MS;
      if (entry.pending === null) {
        if (quiet) lastSeenWrites.delete(k);
      } else if (all || quiet) {
        due.push({ orgId: entry.orgId, userId: entry.userId, lastSeen: entry.pending });
        entry.savedAt = now;
        entry.pending = null;
      }
    }
    await repo.saveLastSeenMany(due, now);
    return due.length;
  }

  return {
    /** A socket of `actor` connected. */
    connect: (actor: Actor, socketId: string) => connect(actor, socketId, 'socket'),

    /** A device of `actor` closed; the user goes offline after the grace when it was the last one. */
    async disconnect(actor: Actor, connectionId: string): Promise<void> {
      const now = clock.now();
      const record = await store.disconnect(actor.orgId, actor.userId, connectionId, now);
      if (!record) return;
      noteSeen(actor.orgId, actor.userId, now);
      await announce(record, now);
    },

    /**
     * A heartbeat from a socket (`connectionId` = socket id) or over HTTP (no id: the session is the
     * device). Only `active` resets the idle timer.
     */
    async heartbeat(actor: Actor, input: { active?: boolean } = {}, connectionId?: string): Promise<HeartbeatAck> {
      const id = connectionId ?? `http:${actor.sessionId}`;
      const now = clock.now();
      const presence = await touch(actor, id, input.active === true, connectionId ? 'socket' : 'http', now);
      return {
        status: presence.status,
        serverTime: now,
        nextHeartbeatMs: Math.max(1000, Math.floor(rules.heartbeatTimeoutMs / 2)),
      };
    },

    /** How long after a recorded activity a device's next activity changes nothing (see ACTIVITY_RESOLUTION_MS). */
    activityResolutionMs: Math.min(ACTIVITY_RESOLUTION_MS, Math.floor(rules.idleMs / 10)),

    /** The person did something on this device: resets the idle timer (away → online). */
    async activity(actor: Actor, connectionId: string): Promise<void> {
      const now = clock.now();
      const record = await store.touch(actor.orgId, actor.userId, connectionId, now, true);
      if (record) await announce(record, now);
    },

    /** Choose a status: `away` / `busy` hold until changed; `online` returns to the automatic rules. */
    async setStatus(actor: Actor, status: ChosenStatus): Promise<UserPresence> {
      const now = clock.now();
      const chosen = status === 'online' ? null : status;
      await repo.saveChosen(actor.orgId, actor.userId, chosen, now);
      const record = await store.setChosen(actor.orgId, actor.userId, chosen);
      if (record) return toPresence(record, await announce(record, now));
      return get(actor, actor.userId);
    },

    get,

    /** The users `actor` may see who are not offline, for `online:users` (at most ONLINE_LIST_MAX). */
    async online(actor: Actor): Promise<UserPresence[]> {
      const rows = await visibleRecords(actor, clock.now());
      return rows.slice(0, ONLINE_LIST_MAX).map((r) => toPresence(r.record, r.status));
    },

    /**
     * `online` for many viewers of one org at once, reading the org's records a single time: every staff
     * viewer gets the same array (send it once to all of them); customers get their own filtered copy.
     */
    async onlineMany(orgId: string, viewers: readonly Actor[]): Promise<UserPresence[][]> {
      const now = clock.now();
      const rows = (await store.list(orgId))
        .map((record) => ({ record, status: statusAt(record, now, rules) }))
        .filter((r) => r.status !== 'offline')
        .sort((a, b) => (a.record.userId < b.record.userId ? -1 : a.record.userId > b.record.userId ? 1 : 0));
      let staffList: UserPresence[] | undefined;
      return viewers.map((viewer) => {
        if (viewer.orgId !== orgId) return [];
        if (isStaff(viewer.role)) {
          staffList ??= rows.slice(0, ONLINE_LIST_MAX).map((r) => toPresence(r.record, r.status));
          return staffList;
        }
        return rows
          .filter((r) => canSee(viewer, r.record))
          .slice(0, ONLINE_LIST_MAX)
          .map((r) => toPresence(r.record, r.status));
      });
    },

    /** The same set as `online`, paged by user id. */
    async page(actor: Actor, query: OnlineStatusQuery): Promise<OnlineStatusPage> {
      if (query.cursor !== undefined && !UUID.test(query.cursor)) throw new AppError('invalid_cursor');
      const after = query.cursor?.toLowerCase();
      const rows = (await visibleRecords(actor, clock.now(), query.status)).filter(
        (r) => after === undefined || r.record.userId > after,
      );
      const items = rows.slice(0, query.limit).map((r) => toPresence(r.record, r.status));
      const last = items.at(-1);
      return rows.length > query.limit && last ? { items, nextCursor: last.userId } : { items };
    },

    /** How many of the org's users are not offline, by status. Staff only. */
    async stats(actor: Actor): Promise<PresenceStats> {
      if (!isStaff(actor.role)) throw new AppError('forbidden', 'only staff see presence statistics');
      const byStatus = { online: 0, away: 0, busy: 0 };
      for (const r of await visibleRecords(actor, clock.now())) {
        if (r.status !== 'offline') byStatus[r.status] += 1;
      }
      return { total: byStatus.online + byStatus.away + byStatus.busy, byStatus };
    },

    /**
     * Staff of `orgId` who may take new work now: status `online` (not away, busy or offline). The contact
     * center routes conversations and approvals to these.
     */
    async availableAgents(orgId: string): Promise<{ userId: string; username: string; role: Role }[]> {
      const now = clock.now();
      return (await store.list(orgId))
        .filter((r) => isStaff(r.role) && statusAt(r, now, rules) === 'online')
        .map((r) => ({ userId: r.userId, username: r.username, role: r.role }))
        .sort((a, b) => (a.userId < b.userId ? -1 : 1));
    },

    /** Hear every status change (returns the unsubscribe). */
    onChange(listener: (change: PresenceChange) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /**
     * The cleanup loop's step: drop devices silent for the heartbeat timeout, announce what changed (idle →
     * away, gone → offline), forget offline users and write due lastSeen values.
     */
    async sweep(): Promise<void> {
      const now = clock.now();
      for (const orgId of await store.orgs()) {
        await store.expire(orgId, now - rules.heartbeatTimeoutMs);
        for (const record of await store.list(orgId)) {
          const status = await announce(record, now);
          if (status === 'offline') {
            noteSeen(orgId, record.userId, lastSeenOf(record));
            await store.remove(orgId, record.userId);
          }
        }
      }
      await flushLastSeen(false);
    },

    flushLastSeen,

    rules,
  };
}
export type PresenceService = ReturnType<typeof presenceService>;
