import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Platform } from '../platform/platform.js';
import type { ServerModule } from '../server-module.js';
import { backup } from './backup.js';

/** The internal task type of a scheduled backup (never in the public task catalogue). */
export const BACKUP_TASK = 'maintenance.backup';
const NAME = /^switchboard-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.tar\.gz$/;

/** `switchboard-2026-05-01T03-30-00-000Z.tar.gz`: names that sort by time. */
export function backupFileName(at: number): string {
  return `switchboard-${new Date(at).toISOString().replace(/[:.]/g, '-')}.tar.gz`;
}

/**
 * One scheduled backup: `switchboard backup` into `BACKUP_DIR` (written under a temporary name and renamed,
 * so a half-written file never counts), then the oldest scheduled backups beyond `BACKUP_KEEP` are deleted.
 * Other files in the folder are left alone.
 */
export async function runScheduledBackup(platform: Platform): Promise<{ file: string; deleted: string[] }> {
  const { dir, keep } = platform.config.backup;
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, backupFileName(platform.clock.now()));
  const partial = `${file}.partial`;
  try {
    await backup(platform.database, platform.config.dataDir, partial);
    await fs.rename(partial, file);
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
  const ours = (await fs.readdir(dir)).filter((f) => NAME.test(f)).sort();
  const deleted = ours.slice(0, Math.max(0, ours.length - keep));
  for (const f of deleted) await fs.rm(path.join(dir, f), { force: true });
  return { file, deleted };
}

/**
 * Scheduled backups (`BACKUP_CRON`): a task on the queue's cron scheduler, so with several nodes each tick
 * runs once (the tick's idempotency key), on whichever node takes it — `BACKUP_DIR` must then be shared
 * storage (docker-compose.yml's `data` volume) or each node's own disk holds some of the backups.
 */
export const scheduledBackupModule: ServerModule = {
  name: 'backup-schedule',
  async http(app, { platform }) {
    const { cron } = platform.config.backup;
    if (!cron) return;
    platform.jobs.register({
      type: BACKUP_TASK,
      description: 'Writes a backup into BACKUP_DIR and keeps the newest BACKUP_KEEP.',
      schema: z.object({}),
      maxAttempts: 2,
      timeoutMs: 60 * 60_000,
      concurrency: 1,
      handler: async () => {
        const result = await runScheduledBackup(platform);
        app.log.info({ file: result.file, deleted: result.deleted.length }, 'scheduled backup written');
        return result;
      },
    });
    platform.jobs.schedule({ name: BACKUP_TASK, cron, type: BACKUP_TASK });
  },
};
