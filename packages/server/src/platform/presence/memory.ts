import {
  hasKind,
  type PresenceConnection,
  type PresenceRecord,
  type PresenceStore,
  type PresenceUser,
} from './store.js';

function copy(r: PresenceRecord): PresenceRecord {
  return { ...r, connections: r.connections.map((c) => ({ ...c })) };
}

/** The embedded-mode presence store: maps in this process, org → user → record. */
export function memoryPresenceStore(): PresenceStore {
  const byOrg = new Map<string, Map<string, PresenceRecord>>();
  const find = (orgId: string, userId: string) => byOrg.get(orgId)?.get(userId);

  return {
    async connect(user: PresenceUser, conn, now, chosen = null) {
      let users = byOrg.get(user.orgId);
      if (!users) {
        users = new Map();
        byOrg.set(user.orgId, users);
      }
      let record = users.get(user.userId);
      if (!record) {
        record = { ...user, connections: [], chosen, disconnectedAt: null, announced: null };
        users.set(user.userId, record);
      }
      record.role = user.role;
      record.username = user.username;
      const known = record.connections.find((c) => c.id === conn.id);
      if (known) {
        known.lastHeartbeat = now;
        known.lastActivity = now;
      } else {
        const c: PresenceConnection = { ...conn, connectedAt: now, lastActivity: now, lastHeartbeat: now };
        record.connections.push(c);
      }
      record.disconnectedAt = null;
      return copy(record);
    },
    async touch(orgId, userId, connectionId, now, active) {
      const record = find(orgId, userId);
      const conn = record?.connections.find((c) => c.id === connectionId);
      if (!record || !conn) return undefined;
      conn.lastHeartbeat = Math.max(conn.lastHeartbeat, now);
      if (active) conn.lastActivity = Math.max(conn.lastActivity, now);
      return copy(record);
    },
    async disconnect(orgId, userId, connectionId, now) {
      const record = find(orgId, userId);
      if (!record) return undefined;
      const before = record.connections.length;
      record.connections = record.connections.filter((c) => c.id !== connectionId);
      // The moment a device leaves is a sign of life: the offline grace counts from the latest departure.
      if (record.connections.length < before) record.disconnectedAt = now;
      return copy(record);
    },
    async setChosen(orgId, userId, chosen) {
      const record = find(orgId, userId);
      if (!record) return undefined;
      record.chosen = chosen;
      return copy(record);
    },
    async setAnnounced(orgId, userId, status) {
      const record = find(orgId, userId);
      if (record) record.announced = status;
    },
    async get(orgId, userId) {
      const record = find(orgId, userId);
      return record ? copy(record) : undefined;
    },
    async hasDevice(orgId, userId, kind) {
      return hasKind(find(orgId, userId), kind);
    },
    async anyWithoutDevice(orgId, userIds, kind) {
      for (const userId of userIds) if (!hasKind(find(orgId, userId), kind)) return true;
      return false;
    },
    async countConnected() {
      let n = 0;
      for (const users of byOrg.values()) for (const record of users.values()) if (record.connections.length) n++;
      return n;
    },
    async list(orgId) {
      return [...(byOrg.get(orgId)?.values() ?? [])].map(copy);
    },
    async orgs() {
      return [...byOrg.keys()];
    },
    async expire(orgId, staleBefore) {
      const changed: PresenceRecord[] = [];
      for (const record of byOrg.get(orgId)?.values() ?? []) {
        const stale = record.connections.filter((c) => c.lastHeartbeat < staleBefore);
        if (stale.length === 0) continue;
        record.connections = record.connections.filter((c) => c.lastHeartbeat >= staleBefore);
        if (record.connections.length === 0) {
          record.disconnectedAt = Math.max(...stale.map((c) => c.lastHeartbeat));
        }
        changed.push(copy(record));
      }
      return changed;
    },
    async remove(orgId, userId) {
      const users = byOrg.get(orgId);
      users?.delete(userId);
      if (users?.size === 0) byOrg.delete(orgId);
    },
    async close() {
      byOrg.clear();
    },
  };
}
