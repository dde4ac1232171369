import type { Selectable } from 'kysely';
import { compiledQuery } from '../../platform/db/compiled-query.js';
import type { Database } from '../../platform/db/database.js';
import type { SessionsTable } from './auth.tables.js';

export type SessionRow = Selectable<SessionsTable>;

/** Every authenticated request asks for its session. */
const byId = compiledQuery((db, v: { id: string }) => db.selectFrom('sessions').selectAll().where('id', '=', v.id));

/** Sessions are looked up by their own unguessable id or token hash; per-user operations are org-scoped. */
export function sessionsRepo({ db }: Database) {
  return {
    async insert(row: SessionRow): Promise<void> {
      await db.insertInto('sessions').values(row).execute();
    },
    async findById(id: string): Promise<SessionRow | undefined> {
      return (await byId(db, { id }))[0];
    },
    async findByRefreshHash(hash: string): Promise<SessionRow | undefined> {
      return db.selectFrom('sessions').selectAll().where('refreshTokenHash', '=', hash).executeTakeFirst();
    },
    async findRotated(hash: string): Promise<{ sessionId: string } | undefined> {
      return db.selectFrom('sessionRotatedTokens').select('sessionId').where('tokenHash', '=', hash).executeTakeFirst();
    },
    /** Swap the refresh token only if it is still `oldHash`: of two racing refreshes, one wins. */
    async rotate(id: string, oldHash: string, newHash: string, now: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('sessions')
          .set({ refreshTokenHash: newHash, lastActivityAt: now })
          .where('id', '=', id)
          .where('refreshTokenHash', '=', oldHash)
          .where('revokedAt', 'is', null)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('sessionRotatedTokens')
          .values({ tokenHash: oldHash, sessionId: id, rotatedAt: now })
          .execute();
        return true;
      });
    },
    async touch(id: string, now: number): Promise<void> {
      await db.updateTable('sessions').set({ lastActivityAt: now }).where('id', '=', id).execute();
    },
    async revoke(id: string, now: number, reason: string): Promise<boolean> {
      const res = await db
        .updateTable('sessions')
        .set({ revokedAt: now, revokedReason: reason })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
    /** Revoke every live session of a user; returns their ids. */
    async revokeUser(orgId: string, userId: string, now: number, reason: string, except?: string): Promise<string[]> {
      let q = db
        .selectFrom('sessions')
        .select('id')
        .where('orgId', '=', orgId)
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null);
      if (except) q = q.where('id', '!=', except);
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      await db
        .updateTable('sessions')
        .set({ revokedAt: now, revokedReason: reason })
        .where('id', 'in', ids)
        .where('revokedAt', 'is', null)
        .execute();
      return ids;
    },
    /** Delete sessions that ended before `before` (their rotated tokens go with them); returns how many. */
    async purgeEnded(before: number): Promise<number> {
      const res = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expiresAt', '<', before), eb('revokedAt', '<', before)]))
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
    async revokedSince(since: number): Promise<{ id: string; revokedAt: number }[]> {
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'revokedAt'])
        .where('revokedAt', '>=', since)
        .execute();
      return rows.map((r) => ({ id: r.id, revokedAt: Number(r.revokedAt) }));
    },
  };
}
export type SessionsRepo = ReturnType<typeof sessionsRepo>;
