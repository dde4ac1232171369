import { buffer } from 'node:stream/consumers';
import { THUMBNAIL_SIZES } from '@switchboard/protocol';
import sharp from 'sharp';
import { z } from 'zod';
import { PermanentTaskError } from '../../platform/jobs/queue.js';
import type { Platform } from '../../platform/platform.js';
import { type ClamdAddress, clamdScan } from './clamd.js';
import { filesRepo, toFileMeta } from './files.repo.js';
import {
  blobKey,
  type FilesDeps,
  PURGE_TASK,
  SCAN_TASK,
  SWEEP_UNSENT_TASK,
  THUMBNAIL_TASK,
  UNSENT_TTL_MS,
} from './files.service.js';

const FileTaskSchema = z.object({ orgId: z.string(), fileId: z.string() });
const PurgeTaskSchema = z.object({ orgId: z.string(), fileIds: z.array(z.string()) });

type Logger = { warn(obj: object, msg: string): void };

/**
 * The files module's background work on the platform's job queue: the virus scan, the thumbnails and the
 * removal of a deleted message's files after the grace period. Each handler is idempotent (a task may run
 * twice after a lost lease).
 */
export function filesTasks(platform: Platform, deps: Pick<FilesDeps, 'notify'>, log: Logger) {
  const repo = filesRepo(platform.database.db);
  const { blobs, config } = platform;

  async function removeThumbnails(row: { orgId: string; id: string }) {
    for (const size of THUMBNAIL_SIZES) await blobs.delete(blobKey(row, size));
    await repo.setThumbnails(row.orgId, row.id, []);
  }

  return {
    /** clean / infected (quarantined: never served, thumbnails removed, the uploader told) / error (retried). */
    async scan(p: z.infer<typeof FileTaskSchema>, address: ClamdAddress): Promise<{ state: string }> {
      const row = await repo.find(p.orgId, p.fileId);
      if (!row || row.purgedAt !== null) return { state: 'gone' };
      const now = () => platform.clock.now();
      let verdict: Awaited<ReturnType<typeof clamdScan>>;
      try {
        verdict = await clamdScan(address, await blobs.get(blobKey(row)));
      } catch (err) {
        await repo.setScan(p.orgId, p.fileId, 'error', (err as Error).message, now());
        deps.notify(toFileMeta({ ...row, scanState: 'error' }));
        throw err;
      }
      if (verdict.infected) {
        await repo.setScan(p.orgId, p.fileId, 'infected', verdict.signature, now());
        await removeThumbnails(row);
        log.warn(
          { fileId: row.id, orgId: row.orgId, uploaderId: row.uploaderId, signature: verdict.signature },
          'files: upload infected, quarantined',
        );
        deps.notify(toFileMeta({ ...row, scanState: 'infected', thumbnails: '[]' }));
        return { state: 'infected' };
      }
      await repo.setScan(p.orgId, p.fileId, 'clean', null, now());
      deps.notify(toFileMeta({ ...row, scanState: 'clean' }));
      return { state: 'clean' };
    },

    /** 100, 300 and 600 px WebP: EXIF orientation applied (rotate), metadata not copied, pixel limit kept. */
    async thumbnails(p: z.infer<typeof FileTaskSchema>): Promise<{ sizes: number[] }> {
      const row = await repo.find(p.orgId, p.fileId);
      if (row?.kind !== 'image' || row.scanState === 'infected' || row.purgedAt !== null) return { sizes: [] };
      const original = await buffer(await blobs.get(blobKey(row)));
      for (const size of THUMBNAIL_SIZES) {
        let out: Buffer;
        try {
          out = await sharp(original, { limitInputPixels: config.files.maxPixels })
            .rotate()
            .resize(size, size, { fit: 'inside', withoutEnlargement: true })
            .webp({ quality: 80 })
            .toBuffer();
        } catch (err) {
          throw new PermanentTaskError(`thumbnail failed: ${(err as Error).message}`, 'thumbnail_failed');
        }
        await blobs.put(blobKey(row, size), out, { size: out.length, contentType: 'image/webp' });
      }
      const sizes = [...THUMBNAIL_SIZES];
      await repo.setThumbnails(p.orgId, p.fileId, sizes);
      deps.notify(toFileMeta({ ...row, thumbnails: JSON.stringify(sizes) }));
      return { sizes };
    },

    /** Remove the bytes of files whose message was deleted, once their grace period is over. */
    async purge(p: z.infer<typeof PurgeTaskSchema>): Promise<{ purged: number }> {
      const due = await repo.dueForPurge(p.orgId, p.fileIds, platform.clock.now());
      for (const row of due) {
        await blobs.delete(blobKey(row));
        await removeThumbnails(row);
        await repo.markPurged(row.orgId, row.id, platform.clock.now());
      }
      return { purged: due.length };
    },

    /**
     * Remove uploads nobody sent within `UNSENT_TTL_MS` (a closed tab, an abandoned draft), up to 500 a run:
     * marked first so a late send refuses them, then their bytes and thumbnails go.
     */
    async sweepUnsent(): Promise<{ purged: number }> {
      const now = platform.clock.now();
      const released = await repo.releaseUnsent(now - UNSENT_TTL_MS, now, 500);
      const byOrg = new Map<string, string[]>();
      for (const f of released) byOrg.set(f.orgId, [...(byOrg.get(f.orgId) ?? []), f.id]);
      let purged = 0;
      for (const [orgId, fileIds] of byOrg) purged += (await this.purge({ orgId, fileIds })).purged;
      return { purged };
    },

    /** Register the handlers once per queue (several apps in one test process share none). */
    register(): void {
      const jobs = platform.jobs;
      if (jobs.handles(THUMBNAIL_TASK)) return;
      const address = config.files.clamd;
      if (address) {
        jobs.register({
          type: SCAN_TASK,
          schema: FileTaskSchema,
          maxAttempts: 5,
          timeoutMs: 120_000,
          concurrency: 2,
          description: 'Scan an uploaded file with ClamAV (clamd INSTREAM)',
          handler: (payload) => this.scan(payload, address),
        });
      }
      jobs.register({
        type: THUMBNAIL_TASK,
        schema: FileTaskSchema,
        maxAttempts: 3,
        timeoutMs: 60_000,
        concurrency: 1,
        description: 'Make the 100, 300 and 600 px WebP thumbnails of an uploaded image',
        handler: (payload) => this.thumbnails(payload),
      });
      jobs.register({
        type: PURGE_TASK,
        schema: PurgeTaskSchema,
        description: "Remove a deleted message's files after the grace period",
        handler: (payload) => this.purge(payload),
      });
      jobs.register({
        type: SWEEP_UNSENT_TASK,
        schema: z.object({}).optional(),
        description: 'Remove uploads not sent with a message within 24 hours',
        handler: () => this.sweepUnsent(),
      });
      jobs.schedule({ name: SWEEP_UNSENT_TASK, cron: '23 * * * *', type: SWEEP_UNSENT_TASK });
    },
  };
}
