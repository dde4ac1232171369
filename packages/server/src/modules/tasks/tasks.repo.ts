import { compiledQuery } from '../../platform/db/compiled-query.js';
import type { Database } from '../../platform/db/database.js';

/** Every submit asks for its org's task types. */
const typesOf = compiledQuery((db, v: { orgId: string }) =>
  db.selectFrom('taskOrgTypes').select('types').where('orgId', '=', v.orgId),
);

export function tasksRepo({ db }: Database) {
  return {
    async enabledTypes(orgId: string): Promise<string[] | undefined> {
      const [row] = await typesOf(db, { orgId });
      return row ? (JSON.parse(row.types) as string[]) : undefined;
    },
    async setEnabledTypes(orgId: string, types: readonly string[], now: number): Promise<void> {
      const values = { orgId, types: JSON.stringify(types), updatedAt: now };
      await db
        .insertInto('taskOrgTypes')
        .values(values)
        .onConflict((oc) => oc.column('orgId').doUpdateSet({ types: values.types, updatedAt: now }))
        .execute();
    },
    /** Remember a callback signature; false when it was seen before (a replay). */
    async rememberSignature(signature: string, expiresAt: number): Promise<boolean> {
      const r = await db
        .insertInto('taskCallbackNonces')
        .values({ signature, expiresAt })
        .onConflict((oc) => oc.column('signature').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async forgetSignaturesBefore(now: number): Promise<number> {
      const r = await db.deleteFrom('taskCallbackNonces').where('expiresAt', '<', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
export type TasksRepo = ReturnType<typeof tasksRepo>;
