import type { Attachment } from '@switchboard/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageTargets } from '../../server/src/test/storage.js';
import { SwitchboardError } from './errors.js';
import { until, World } from './test/world.js';

for (const target of storageTargets) {
  describe(`sdk files [${target.dialect}]`, () => {
    let world: World;
    beforeAll(async () => {
      world = await World.start(target);
    });
    afterAll(async () => world?.close());

    it('uploads, sends with a message, and the other member downloads the file and its thumbnail', async () => {
      const [admin, agent] = world.members as [(typeof world.members)[0], (typeof world.members)[0]];
      const a = await world.client(admin);
      const b = await world.client(agent);
      await Promise.all([a.client.ready, b.client.ready]);
      const bytes = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#c33' } })
        .png()
        .toBuffer();
      const meta = await a.client.api.files.upload(world.conversationId, new Blob([bytes]), 'red.png');
      expect(meta).toMatchObject({ name: 'red.png', contentType: 'image/png', width: 120, height: 60 });
      const { message } = await a.client.api.messages.send(world.conversationId, {
        clientMsgId: crypto.randomUUID(),
        text: 'sdk-file',
        attachments: [meta.id],
      });
      expect(message.attachments?.[0]?.id).toBe(meta.id);
      // The other member's store keeps the attachments of the pushed message.
      await until('delivered', () => b.client.messages(world.conversationId).some((m) => m.text === 'sdk-file'));
      const seen = b.client.messages(world.conversationId).find((m) => m.text === 'sdk-file') as unknown as {
        attachments: Attachment[];
      };
      expect(seen.attachments.map((x) => x.name)).toEqual(['red.png']);
      const downloaded = Buffer.from(await (await b.client.api.files.download(meta.id)).arrayBuffer());
      expect(downloaded.equals(bytes)).toBe(true);
      // Thumbnails are made by a background task: `file_not_ready` until then.
      let thumb: Blob | undefined;
      for (let i = 0; i < 400 && !thumb; i++) {
        thumb = await b.client.api.files.thumbnail(meta.id, 100).catch((err: SwitchboardError) => {
          if ((err.code as string) !== 'file_not_ready') throw err;
          return new Promise<undefined>((r) => setTimeout(() => r(undefined), 50));
        });
      }
      const info = await sharp(Buffer.from(await (thumb as Blob).arrayBuffer())).metadata();
      expect([info.format, info.width, info.height]).toEqual(['webp', 100, 50]);
    });

    it('sends files through the outbox with client.send: stored once, with them, for both members', async () => {
      const [admin, agent] = world.members as [(typeof world.members)[0], (typeof world.members)[0]];
      const a = await world.client(admin);
      const b = await world.client(agent);
      await Promise.all([a.client.ready, b.client.ready]);
      const doc = new Blob(['%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n']);
      const meta = await a.client.api.files.upload(world.conversationId, doc, 'notes.pdf');
      const sent = a.client.send(world.conversationId, 'outbox-file', { attachments: [meta.id] });
      expect(sent.state).toBe('sending');
      const names = (m: unknown) => ((m as { attachments?: Attachment[] }).attachments ?? []).map((x) => x.name);
      await until('stored', () =>
        a.client.messages(world.conversationId).some((m) => m.text === 'outbox-file' && m.seq),
      );
      const mine = a.client.messages(world.conversationId).filter((m) => m.text === 'outbox-file');
      expect(mine).toHaveLength(1);
      expect(names(mine[0])).toEqual(['notes.pdf']);
      await until('delivered', () => b.client.messages(world.conversationId).some((m) => m.text === 'outbox-file'));
      expect(names(b.client.messages(world.conversationId).find((m) => m.text === 'outbox-file'))).toEqual([
        'notes.pdf',
      ]);
      // Bad ids are refused before anything is queued.
      expect(() => a.client.send(world.conversationId, 'x', { attachments: ['not-an-id'] })).toThrow(SwitchboardError);
    });

    it('rejects a refused upload with its code and status', async () => {
      const a = await world.client(world.members[0] as (typeof world.members)[0]);
      const err = await a.client.api.files
        .upload(world.conversationId, new Blob(['plain words']), 'photo.png')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SwitchboardError);
      expect([(err as SwitchboardError).code, (err as SwitchboardError).status]).toEqual(['file_type_mismatch', 415]);
    });
  });
}
