import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { orgsService } from '../modules/orgs/orgs.service.js';
import { describeStorage } from '../test/storage.js';
import { backup } from './backup.js';
import { freshTarget } from './fresh-target.js';
import { restoreAndVerify } from './restore.js';
import { countRows } from './tables.js';

describeStorage('backup and restore', (ctx) => {
  it('backs up while writes continue, restores into an empty target and passes the integrity check', async () => {
    const { platform, config } = ctx();
    const orgs = orgsService(platform);
    for (let i = 0; i < 20; i++) await orgs.create({ slug: `before-${i}`, name: `Before ${i}` });
    await fs.mkdir(path.join(config.dataDir, 'blobs', 'ab'), { recursive: true });
    await fs.writeFile(path.join(config.dataDir, 'blobs', 'ab', 'one.bin'), randomBytes(4096));
    await fs.writeFile(path.join(config.dataDir, 'blobs', 'two.txt'), 'hello');

    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await orgs.create({ slug: `during-${written++}`, name: 'During' });
        // better-sqlite3 is synchronous: without yielding to the event loop this loop would starve the backup.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const archive = path.join(config.dataDir, 'backups', 'b.tar.gz');
    await new Promise((r) => setTimeout(r, 50));
    const manifest = await backup(platform.database, config.dataDir, archive);
    writing = false;
    await writer;

    expect(manifest.dialect).toBe(platform.database.dialect);
    expect(manifest.tables.orgs).toBeGreaterThanOrEqual(20);
    expect(manifest.migrations).toContain('0001_orgs_create');
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['ab/one.bin', 'two.txt']);
    const live = await countRows(platform.database.db, platform.database.dialect);
    expect(live.orgs).toBeGreaterThanOrEqual(manifest.tables.orgs ?? 0);

    const { dataDir, target, drop } = await freshTarget(platform.database.options);
    try {
      const { report } = await restoreAndVerify(archive, target, dataDir);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.tables).toEqual(manifest.tables);
      expect(await fs.readFile(path.join(dataDir, 'blobs', 'two.txt'), 'utf8')).toBe('hello');
      // A second restore into the now non-empty target is refused, and nothing is overwritten.
      await expect(restoreAndVerify(archive, target, dataDir)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await drop();
    }
  });

  it('reports a restore that does not match its manifest', async () => {
    const { platform, config } = ctx();
    const archive = path.join(config.dataDir, 'backups', 'c.tar.gz');
    await backup(platform.database, config.dataDir, archive);
    await fs.writeFile(path.join(config.dataDir, 'blobs', 'two.txt'), 'changed size');
    const { dataDir, target, drop } = await freshTarget(platform.database.options);
    try {
      const { manifest } = await restoreAndVerify(archive, target, dataDir);
      // Corrupt the restored copy, then verify again: the check must notice.
      await fs.rm(path.join(dataDir, 'blobs', 'ab', 'one.bin'));
      const { verifyRestore } = await import('./integrity.js');
      const { openDatabase } = await import('../platform/db/database.js');
      const reopened = await openDatabase(
        target.kind === 'postgres' && manifest.schema ? { ...target, schema: manifest.schema } : target,
      );
      try {
        const report = await verifyRestore(
          reopened,
          { ...manifest, tables: { ...manifest.tables, orgs: -1 } },
          dataDir,
        );
        expect(report.ok).toBe(false);
        expect(report.problems).toContain('file ab/one.bin is missing');
        expect(report.problems.some((p) => p.startsWith('table orgs:'))).toBe(true);
      } finally {
        await reopened.close();
      }
    } finally {
      await drop();
    }
  });
});
