import { blobKey } from './files.service.js';

/** The part of the restore check's context this check needs (ops/integrity.ts builds it). */
interface FilesIntegrityContext {
  // biome-ignore lint/suspicious/noExplicitAny: runs on a freshly restored database, typed or not
  db: import('kysely').Kysely<any>;
  hasBlob(key: string): Promise<boolean>;
}

/**
 * After a restore: every stored file that is not purged has its bytes, and every thumbnail its row lists.
 * Returns one line per missing blob.
 */
export async function filesHaveBytes({ db, hasBlob }: FilesIntegrityContext): Promise<string[]> {
  const rows: { id: string; orgId: string; thumbnails: string }[] = await db
    .selectFrom('files')
    .select(['id', 'orgId', 'thumbnails'])
    .where('purgedAt', 'is', null)
    .execute();
  const problems: string[] = [];
  for (const row of rows) {
    if (!(await hasBlob(blobKey(row)))) problems.push(`file ${row.id}: its bytes (${blobKey(row)}) are missing`);
    for (const size of JSON.parse(row.thumbnails) as number[]) {
      const key = blobKey(row, size);
      if (!(await hasBlob(key))) problems.push(`file ${row.id}: thumbnail ${size} (${key}) is missing`);
    }
  }
  return problems;
}
