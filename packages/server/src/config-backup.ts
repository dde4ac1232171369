import path from 'node:path';
import type { Env } from './config.js';
import { ConfigError } from './config-error.js';
import { nextFire } from './platform/jobs/schedule.js';

/** Scheduled backups: `BACKUP_CRON` (unset = none), `BACKUP_DIR`, `BACKUP_KEEP`. */
export type BackupConfig = Readonly<{
  /** A 5-field cron expression in UTC, e.g. `30 3 * * *`; undefined = no scheduled backups. */
  cron: string | undefined;
  dir: string;
  /** How many scheduled backups to keep; older ones are deleted after each new one. */
  keep: number;
}>;

export function backupConfig(e: Env, dataDir: string): BackupConfig {
  if (e.BACKUP_CRON) {
    try {
      nextFire(e.BACKUP_CRON, 0);
    } catch (err) {
      throw new ConfigError(`BACKUP_CRON: not a cron expression (${(err as Error).message})`);
    }
  }
  return Object.freeze({
    cron: e.BACKUP_CRON,
    dir: path.resolve(e.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    keep: e.BACKUP_KEEP,
  });
}
