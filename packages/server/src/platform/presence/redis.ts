import type { Redis } from 'ioredis';
import { hasKind, type PresenceRecord, type PresenceStore } from './store.js';

/**
 * Every change is one Lua script over the user's record (a JSON string), so two nodes updating the same
 * user (two devices on different nodes) never lose each other's write. cjson encodes an empty array as
 * `{}`; `parse` turns it back.
 */
const COMMON = `
local function load(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local r = cjson.decode(raw)
  if type(r.connections) ~= 'table' then r.connections = {} end
  return r
end
local function save(key, r, ttl)
  local raw = cjson.encode(r)
  redis.call('SET', key, raw, 'PX', ttl)
  return raw
end
`;

/** KEYS: user, org set, orgs set. ARGV: user JSON, conn id, kind, now, chosen JSON, ttl. */
const CONNECT = `${COMMON}
local u = cjson.decode(ARGV[1])
local now = tonumber(ARGV[4])
local r = load(KEYS[1])
if not r then
  r = { orgId = u.orgId, userId = u.userId, connections = {}, chosen = cjson.decode(ARGV[5]),
        disconnectedAt = cjson.null, announced = cjson.null }
end
r.role = u.role
r.username = u.username
local found = false
for _, c in ipairs(r.connections) do
  if c.id == ARGV[2] then
    c.lastHeartbeat = now
    c.lastActivity = now
    found = true
  end
end
if not found then
  table.insert(r.connections, { id = ARGV[2], kind = ARGV[3], connectedAt = now, lastActivity = now, lastHeartbeat = now })
end
r.disconnectedAt = cjson.null
redis.call('SADD', KEYS[2], u.userId)
redis.call('SADD', KEYS[3], u.orgId)
return save(KEYS[1], r, ARGV[6])
`;

/** KEYS: user. ARGV: conn id, now, active (1/0), ttl. */
const TOUCH = `${COMMON}
local r = load(KEYS[1])
if not r then return false end
local now = tonumber(ARGV[2])
for _, c in ipairs(r.connections) do
  if c.id == ARGV[1] then
    c.lastHeartbeat = math.max(c.lastHeartbeat, now)
    if ARGV[3] == '1' then c.lastActivity = math.max(c.lastActivity, now) end
    return save(KEYS[1], r, ARGV[4])
  end
end
return false
`;

/** KEYS: user. ARGV: conn id, now, ttl. */
const DISCONNECT = `${COMMON}
local r = load(KEYS[1])
if not r then return false end
local kept = {}
for _, c in ipairs(r.connections) do
  if c.id ~= ARGV[1] then table.insert(kept, c) end
end
if #kept < #r.connections then r.disconnectedAt = tonumber(ARGV[2]) end
r.connections = kept
return save(KEYS[1], r, ARGV[3])
`;

/** KEYS: user. ARGV: field, JSON value, ttl. */
const SET_FIELD = `${COMMON}
local r = load(KEYS[1])
if not r then return false end
r[ARGV[1]] = cjson.decode(ARGV[2])
return save(KEYS[1], r, ARGV[3])
`;

/** KEYS: org set, orgs set. ARGV: user key prefix, org id. Drops ids whose record expired (TTL). */
const LIST = `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local raw = redis.call('GET', ARGV[1] .. id)
  if raw then table.insert(out, raw) else redis.call('SREM', KEYS[1], id) end
end
if #out == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return out
`;

/** KEYS: org set. ARGV: user key prefix, staleBefore, ttl. */
const EXPIRE = `${COMMON}
local stale_before = tonumber(ARGV[2])
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  local r = load(key)
  if not r then
    redis.call('SREM', KEYS[1], id)
  else
    local kept, last = {}, nil
    for _, c in ipairs(r.connections) do
      if c.lastHeartbeat < stale_before then
        if last == nil or c.lastHeartbeat > last then last = c.lastHeartbeat end
      else
        table.insert(kept, c)
      end
    end
    if last ~= nil then
      r.connections = kept
      if #kept == 0 then r.disconnectedAt = last end
      table.insert(out, save(key, r, ARGV[3]))
    end
  end
end
return out
`;

/** KEYS: user, org set, orgs set. ARGV: user id, org id. */
const REMOVE = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
return 1
`;

const SCRIPTS = {
  sbPresenceConnect: CONNECT,
  sbPresenceTouch: TOUCH,
  sbPresenceDisconnect: DISCONNECT,
  sbPresenceSetField: SET_FIELD,
  sbPresenceList: LIST,
  sbPresenceExpire: EXPIRE,
  sbPresenceRemove: REMOVE,
};

function parse(raw: unknown): PresenceRecord | undefined {
  if (typeof raw !== 'string') return undefined;
  const r = JSON.parse(raw) as PresenceRecord;
  // An empty Lua table comes back as {}.
  if (!Array.isArray(r.connections)) r.connections = [];
  return r;
}

export interface RedisPresenceOptions {
  /** Key prefix of the deployment (`REDIS_KEY_PREFIX`). */
  prefix: string;
  /**
   * Lifetime of a record since its last write. Live devices rewrite it with every heartbeat; when every
   * node dies, nobody sweeps, and this is how long a user can still look online.
   */
  ttlMs: number;
}

/**
 * The cluster-mode presence store: one JSON record per user under a TTL key, a set of user ids per org
 * and a set of orgs, changed only by Lua scripts (atomic per call). Works on a single Redis or a
 * primary with replicas; not on Redis Cluster (the scripts touch keys of several slots).
 */
export function redisPresenceStore(redis: Redis, opts: RedisPresenceOptions): PresenceStore {
  const base = `${opts.prefix}presence:`;
  const orgsKey = `${base}orgs`;
  const userPrefix = (orgId: string) => `${base}u:${orgId}:`;
  const userKey = (orgId: string, userId: string) => `${userPrefix(orgId)}${userId}`;
  const orgKey = (orgId: string) => `${base}org:${orgId}`;
  const ttl = String(opts.ttlMs);
  // Named commands: ioredis sends EVALSHA and falls back to EVAL after a Redis restart emptied its cache.
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { lua });
  }
  const run = (script: keyof typeof SCRIPTS, keys: string[], args: (string | number)[]): Promise<unknown> =>
    (redis as unknown as Record<keyof typeof SCRIPTS, (...a: (string | number)[]) => Promise<unknown>>)[script](
      keys.length,
      ...keys,
      ...args.map(String),
    );
  const get = async (orgId: string, userId: string) => parse(await redis.get(userKey(orgId, userId)));
  const orgs = () => redis.smembers(orgsKey);
  const list = async (orgId: string) => {
    const raws = (await run('sbPresenceList', [orgKey(orgId), orgsKey], [userPrefix(orgId), orgId])) as string[];
    return raws.map((raw) => parse(raw) as PresenceRecord);
  };
  const setField = async (orgId: string, userId: string, field: string, value: unknown) =>
    parse(await run('sbPresenceSetField', [userKey(orgId, userId)], [field, JSON.stringify(value), ttl]));

  return {
    async connect(user, conn, now, chosen = null) {
      const raw = await run(
        'sbPresenceConnect',
        [userKey(user.orgId, user.userId), orgKey(user.orgId), orgsKey],
        [JSON.stringify(user), conn.id, conn.kind, now, JSON.stringify(chosen), ttl],
      );
      return parse(raw) as PresenceRecord;
    },
    async touch(orgId, userId, connectionId, now, active) {
      return parse(
        await run('sbPresenceTouch', [userKey(orgId, userId)], [connectionId, now, active ? '1' : '0', ttl]),
      );
    },
    async disconnect(orgId, userId, connectionId, now) {
      return parse(await run('sbPresenceDisconnect', [userKey(orgId, userId)], [connectionId, now, ttl]));
    },
    setChosen: (orgId, userId, chosen) => setField(orgId, userId, 'chosen', chosen),
    async setAnnounced(orgId, userId, status) {
      await setField(orgId, userId, 'announced', status);
    },
    get,
    async hasDevice(orgId, userId, kind) {
      return hasKind(await get(orgId, userId), kind);
    },
    async anyWithoutDevice(orgId, userIds, kind) {
      for (const userId of userIds) if (!hasKind(await get(orgId, userId), kind)) return true;
      return false;
    },
    async countConnected() {
      let n = 0;
      for (const orgId of await orgs()) {
        for (const record of await list(orgId)) if (record.connections.length) n++;
      }
      return n;
    },
    list,
    orgs,
    async expire(orgId, staleBefore) {
      const raws = (await run('sbPresenceExpire', [orgKey(orgId)], [userPrefix(orgId), staleBefore, ttl])) as string[];
      return raws.map((raw) => parse(raw) as PresenceRecord);
    },
    async remove(orgId, userId) {
      await run('sbPresenceRemove', [userKey(orgId, userId), orgKey(orgId), orgsKey], [userId, orgId]);
    },
    // The connection belongs to the platform, which closes it.
    async close() {},
  };
}
