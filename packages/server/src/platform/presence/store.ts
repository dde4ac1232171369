import type { Role } from '@switchboard/protocol';

/** Who a presence record belongs to, captured when their first device connects. */
export interface PresenceUser {
  orgId: string;
  userId: string;
  role: Role;
  username: string;
}

/** One device of a user: a socket, or an HTTP client that sends heartbeats. */
export interface PresenceConnection {
  id: string;
  kind: 'socket' | 'http';
  connectedAt: number;
  /** Last time the person did something on this device (resets the idle timer). */
  lastActivity: number;
  /** Last sign of life of the device; older than the heartbeat timeout = the device is gone. */
  lastHeartbeat: number;
}

/** What the store keeps per user and org. Status is derived from it by the presence service's rules. */
export interface PresenceRecord extends PresenceUser {
  connections: PresenceConnection[];
  /** `away` / `busy` chosen by the user; holds until changed. */
  chosen: 'away' | 'busy' | null;
  /** When the last device went away (closed or its heartbeats stopped); null while a device is connected. */
  disconnectedAt: number | null;
  /** The status last announced to others, so a sweep can tell what changed since. */
  announced: string | null;
}

/**
 * Per-user set of live devices, shared by every node: memory in embedded mode, Redis (TTL keys) in cluster
 * mode. It stores facts (connections, timestamps, the chosen status) and no rules; every implementation
 * must pass `presenceStoreConformance()`.
 *
 * Reads return copies: a caller never mutates the store through a returned record.
 */
export interface PresenceStore {
  /** Add a device (or refresh it, if the id is known); creates the user's record when absent. */
  connect(
    user: PresenceUser,
    conn: { id: string; kind: PresenceConnection['kind'] },
    now: number,
    chosen?: 'away' | 'busy' | null,
  ): Promise<PresenceRecord>;
  /** A heartbeat (and, when `active`, activity) of a known device; undefined when the device is unknown. */
  touch(
    orgId: string,
    userId: string,
    connectionId: string,
    now: number,
    active: boolean,
  ): Promise<PresenceRecord | undefined>;
  /**
   * Remove a device; `disconnectedAt` becomes `now` (the latest departure: the offline grace counts from it,
   * even when a stale device that the sweep has not dropped yet is still listed).
   */
  disconnect(orgId: string, userId: string, connectionId: string, now: number): Promise<PresenceRecord | undefined>;
  setChosen(orgId: string, userId: string, chosen: 'away' | 'busy' | null): Promise<PresenceRecord | undefined>;
  setAnnounced(orgId: string, userId: string, status: string): Promise<void>;
  get(orgId: string, userId: string): Promise<PresenceRecord | undefined>;
  /** Whether the user has a device of this kind connected: a question asked per message, without a copy. */
  hasDevice(orgId: string, userId: string, kind: PresenceConnection['kind']): Promise<boolean>;
  /**
   * Whether any of these users has no device of this kind connected (asked twice per message sent, whether a
   * push may be needed: one call instead of one per member).
   */
  anyWithoutDevice(orgId: string, userIds: readonly string[], kind: PresenceConnection['kind']): Promise<boolean>;
  /** How many users, in every org, have at least one device connected (the connected-users gauge). */
  countConnected(): Promise<number>;
  /** Every record of one org (devices or not), in no particular order. */
  list(orgId: string): Promise<PresenceRecord[]>;
  /** The orgs that have at least one record, for the cleanup sweep. */
  orgs(): Promise<string[]>;
  /**
   * Drop the devices of one org whose last heartbeat is before `staleBefore`; a user losing their last
   * device gets `disconnectedAt` = that device's last heartbeat. Returns the records that changed.
   */
  expire(orgId: string, staleBefore: number): Promise<PresenceRecord[]>;
  /** Forget a user (after they have been announced offline). */
  remove(orgId: string, userId: string): Promise<void>;
  close(): Promise<void>;
}

/** Whether this record (if any) has a device of this kind connected. */
export function hasKind(record: PresenceRecord | undefined, kind: PresenceConnection['kind']): boolean {
  return record?.connections.some((c) => c.kind === kind) ?? false;
}
