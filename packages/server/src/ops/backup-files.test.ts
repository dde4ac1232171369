import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { png, upload, waitForMeta } from '../modules/files/files.fixture.js';
import { openDatabase } from '../platform/db/database.js';
import { createPlatform } from '../platform/platform.js';
import { bearer, createOrgWithUsers, describeApp, sessionFor } from '../test/auth.js';
import { testConfig } from '../test/config.js';
import { backup } from './backup.js';
import { freshTarget } from './fresh-target.js';
import { verifyRestore } from './integrity.js';
import { restoreAndVerify } from './restore.js';

/** Attachments live in the blob store (`DATA_DIR/blobs`): a backup must carry them to a new machine. */
describeApp('backup and restore of attachments', (ctx) => {
  it('upload -> backup -> restore elsewhere -> the same bytes download, and a lost blob is reported', async () => {
    const { app, platform } = ctx();
    const fx = await createOrgWithUsers(platform, { slug: 'backup-files' });
    const token = (await sessionFor(platform, fx.users.agent)).accessToken;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: bearer(token),
      payload: { kind: 'group', name: 'Backups', memberIds: [fx.users.supervisor.id] },
    });
    expect(created.statusCode).toBe(201);
    const conversationId = created.json().conversation.id as string;
    const notes = Buffer.from('quarterly numbers: 42\n');
    const image = await png(640, 480);
    const text = await upload(app, token, conversationId, 'notes.txt', notes, 'text/plain');
    const picture = await upload(app, token, conversationId, 'chart.png', image, 'image/png');
    expect([text.statusCode, picture.statusCode]).toEqual([201, 201]);
    const textId = text.json().id as string;
    const pictureId = picture.json().id as string;
    await waitForMeta(app, token, pictureId, (m) => (m.thumbnails ?? []).length > 0);

    const archive = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'sb-backup-files-')), 'b.tar.gz');
    const manifest = await backup(platform.database, platform.config.dataDir, archive);
    expect(manifest.format).toBe(2);
    expect(manifest.files.some((f) => f.path.endsWith(textId))).toBe(true);
    expect(manifest.files.some((f) => f.path.endsWith(pictureId))).toBe(true);

    const { dataDir, target, drop } = await freshTarget(platform.database.options);
    try {
      const { report } = await restoreAndVerify(archive, target, dataDir);
      expect(report.problems).toEqual([]);

      // The restored copy serves the same bytes through the API of a new app.
      const config = testConfig({ DATA_DIR: dataDir });
      const restored = await createPlatform(config, {
        database: await openDatabase(
          target.kind === 'postgres' && manifest.schema ? { ...target, schema: manifest.schema } : target,
        ),
      });
      const second = await buildApp(config, { platform: restored });
      try {
        // The uploader (the files are not sent in a message yet, so only they may read them).
        const t2 = (await sessionFor(restored, fx.users.agent)).accessToken;
        const a = await second.inject({ method: 'GET', url: `/api/v1/files/${textId}`, headers: bearer(t2) });
        expect(a.statusCode).toBe(200);
        expect(a.rawPayload.equals(notes)).toBe(true);
        const b = await second.inject({ method: 'GET', url: `/api/v1/files/${pictureId}`, headers: bearer(t2) });
        expect(b.statusCode).toBe(200);
        expect(b.rawPayload.equals(image)).toBe(true);

        // A blob lost after the restore: the integrity check names the file.
        const lost = manifest.files.find((f) => f.path.endsWith(textId));
        await fs.rm(path.join(dataDir, 'blobs', lost?.path ?? 'x'));
        const again = await verifyRestore(restored.database, manifest, dataDir);
        expect(again.ok).toBe(false);
        expect(again.problems.some((p) => p.includes(`file ${textId}: its bytes`))).toBe(true);
      } finally {
        await second.close();
        await restored.close();
      }
    } finally {
      await drop();
    }
  });
});
