import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { describeStorage } from '../test/storage.js';
import { waitFor } from '../test/waits.js';
import { BACKUP_TASK, backupFileName, runScheduledBackup } from './backup-schedule.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-scheduled-backups-'));

it('refuses a BACKUP_CRON that is not a cron expression, and defaults BACKUP_DIR under DATA_DIR', () => {
  expect(() => loadConfig({ BACKUP_CRON: 'every night' })).toThrow(/^BACKUP_CRON: /);
  const c = loadConfig({ BACKUP_CRON: '30 3 * * *', DATA_DIR: '/srv/sb' });
  expect(c.backup).toEqual({ cron: '30 3 * * *', dir: '/srv/sb/backups', keep: 7 });
  expect(loadConfig({}).backup.cron).toBeUndefined();
});

describeStorage(
  'scheduled backups (BACKUP_CRON)',
  (ctx) => {
    it('runs as a queue task, writes into BACKUP_DIR and keeps only the newest BACKUP_KEEP', async () => {
      const { platform, config } = ctx();
      const app = await buildApp(config, { platform });
      try {
        await app.ready();
        const foreign = path.join(dir, 'notes.txt');
        fs.writeFileSync(foreign, 'not a backup');
        // An old scheduled backup from before: pruned once newer ones exist.
        fs.writeFileSync(path.join(dir, backupFileName(Date.UTC(2020, 0, 1))), 'old');
        const { task } = await platform.jobs.submit({ type: BACKUP_TASK, payload: {} });
        const done = await waitFor(async () => {
          const t = await platform.jobs.get(task.id);
          return t && ['succeeded', 'dead'].includes(t.state) ? t : undefined;
        }, 60_000);
        expect(done.error).toBeNull();
        expect(done.state).toBe('succeeded');
        await runScheduledBackup(platform);
        const { deleted } = await runScheduledBackup(platform);
        const kept = fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.tar.gz'))
          .sort();
        expect(kept).toHaveLength(2);
        expect(kept.every((f) => !f.startsWith('switchboard-2020'))).toBe(true);
        expect(deleted.length).toBeGreaterThanOrEqual(1);
        expect(fs.existsSync(foreign)).toBe(true);
        expect(fs.readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(false);
        expect(fs.statSync(path.join(dir, kept[1] as string)).size).toBeGreaterThan(100);
      } finally {
        await app.close();
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
      }
    });
  },
  { BACKUP_CRON: '30 3 * * *', BACKUP_DIR: dir, BACKUP_KEEP: '2' },
);
