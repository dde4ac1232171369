import fs from 'node:fs';
import path from 'node:path';
import type { FileMeta, Message } from '@switchboard/protocol';
import { beforeAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, type OrgFixture, sessionFor } from '../../test/auth.js';
import { until } from '../../test/waits.js';
import { png, upload, waitForMeta } from './files.fixture.js';
import { UNSENT_TTL_MS } from './files.service.js';
import { filesTasks } from './files.tasks.js';

const GRACE_MS = 60_000;

describeApp(
  'files: attachments on messages, deletion after the grace period',
  (ctx) => {
    let org: OrgFixture;
    let agent: string;
    let member: string;
    let conversationId: string;

    beforeAll(async () => {
      const { app, platform } = ctx();
      org = await createOrgWithUsers(platform);
      agent = (await sessionFor(platform, org.users.agent)).accessToken;
      member = (await sessionFor(platform, org.users.supervisor)).accessToken;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(agent),
        payload: { kind: 'group', name: 'attach', memberIds: [org.users.supervisor.id] },
      });
      conversationId = res.json().conversation.id;
    });

    const send = (token: string, attachments: string[]) =>
      ctx().app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: bearer(token),
        payload: { clientMsgId: crypto.randomUUID(), text: 'with files', attachments },
      });
    const history = async (token: string) =>
      (
        await ctx().app.inject({
          method: 'GET',
          url: `/api/v1/conversations/${conversationId}/messages`,
          headers: bearer(token),
        })
      ).json().items as Message[];

    it('sends files with a message: metadata on the message, in history, in order', async () => {
      const { app } = ctx();
      const a = (await upload(app, agent, conversationId, 'a.txt', Buffer.from('alpha'))).json() as FileMeta;
      const b = (await upload(app, agent, conversationId, 'b.png', await png(30, 20))).json() as FileMeta;
      const res = await send(agent, [b.id, a.id]);
      expect(res.statusCode).toBe(201);
      const message = res.json().message as Message;
      expect(message.attachments).toEqual([
        { id: b.id, name: 'b.png', contentType: 'image/png', size: b.size, kind: 'image', width: 30, height: 20 },
        { id: a.id, name: 'a.txt', contentType: 'text/plain', size: 5, kind: 'document', width: null, height: null },
      ]);
      const seen = (await history(member)).find((m) => m.id === message.id);
      expect(seen?.attachments?.map((x) => x.id)).toEqual([b.id, a.id]);
      const meta = await waitForMeta(app, member, a.id, () => true);
      expect(meta.messageId).toBe(message.id);
    });

    it("refuses someone else's file, a file sent already, and a file of another conversation", async () => {
      const { app } = ctx();
      const mine = (await upload(app, agent, conversationId, 'mine.txt', Buffer.from('mine'))).json() as FileMeta;
      const theirs = await send(member, [mine.id]);
      expect([theirs.statusCode, theirs.json().code]).toEqual([404, 'not_found']);
      expect((await send(agent, [mine.id])).statusCode).toBe(201);
      const twice = await send(agent, [mine.id]);
      expect([twice.statusCode, twice.json().code]).toEqual([404, 'not_found']);
      const elsewhere = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(agent),
        payload: { kind: 'group', name: 'elsewhere' },
      });
      const otherConv = elsewhere.json().conversation.id as string;
      const stray = (await upload(app, agent, otherConv, 's.txt', Buffer.from('stray'))).json() as FileMeta;
      const wrong = await send(agent, [stray.id]);
      expect([wrong.statusCode, wrong.json().code]).toEqual([404, 'not_found']);
      const tooMany = await send(
        agent,
        Array.from({ length: 11 }, () => crypto.randomUUID()),
      );
      expect([tooMany.statusCode, tooMany.json().code]).toEqual([400, 'validation_failed']);
    });

    it('deleting a message hides its files at once and removes their bytes after the grace period', async () => {
      const { app, platform, clock } = ctx();
      const img = (await upload(app, agent, conversationId, 'gone.png', await png(50, 50))).json() as FileMeta;
      await waitForMeta(app, agent, img.id, (m) => m.thumbnails.length === 3);
      const message = (await send(agent, [img.id])).json().message as Message;
      const dir = path.join(platform.config.dataDir, 'blobs', 'files', org.org.id);
      const blobsOf = () => fs.readdirSync(dir).filter((f) => f.startsWith(img.id));
      expect(blobsOf().sort()).toEqual([img.id, `${img.id}-t100`, `${img.id}-t300`, `${img.id}-t600`]);
      const del = await app.inject({ method: 'DELETE', url: `/api/v1/messages/${message.id}`, headers: bearer(agent) });
      expect(del.statusCode).toBe(200);
      expect(del.json().attachments).toBeUndefined();
      for (const token of [agent, member]) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/files/${img.id}`, headers: bearer(token) });
        expect(res.statusCode).toBe(404);
      }
      expect(blobsOf()).toHaveLength(4);
      clock.advance(GRACE_MS + 1);
      await until("the deleted message's blobs to go", () => blobsOf().length === 0, 10_000);
    });

    it('removes uploads nobody sent within 24 hours; sent and recent ones stay', async () => {
      const { app, platform, clock } = ctx();
      const dir = path.join(platform.config.dataDir, 'blobs', 'files', org.org.id);
      const blobsOf = (id: string) => fs.readdirSync(dir).filter((f) => f.startsWith(id));
      const abandoned = (await upload(app, agent, conversationId, 'draft.png', await png(40, 40))).json() as FileMeta;
      await waitForMeta(app, agent, abandoned.id, (m) => m.thumbnails.length === 3);
      const sent = (await upload(app, agent, conversationId, 'sent.txt', Buffer.from('sent'))).json() as FileMeta;
      expect((await send(agent, [sent.id])).statusCode).toBe(201);
      clock.advance(UNSENT_TTL_MS + 1);
      agent = (await sessionFor(platform, org.users.agent)).accessToken; // a day later: a new session
      const fresh = (await upload(app, agent, conversationId, 'fresh.txt', Buffer.from('fresh'))).json() as FileMeta;

      const tasks = filesTasks(platform, { notify: () => {} }, app.log);
      // The hourly schedule may run it first on this clock; either way the abandoned upload goes.
      await tasks.sweepUnsent();
      await until("the abandoned upload's blobs to go", () => blobsOf(abandoned.id).length === 0, 10_000);
      expect(blobsOf(sent.id)).toHaveLength(1);
      expect(blobsOf(fresh.id)).toHaveLength(1);
      // Too late to send it now; the fresh one still goes.
      const late = await send(agent, [abandoned.id]);
      expect([late.statusCode, late.json().code]).toEqual([404, 'not_found']);
      expect((await send(agent, [fresh.id])).statusCode).toBe(201);
      expect(await tasks.sweepUnsent()).toEqual({ purged: 0 });
    });
  },
  { FILES_DELETE_GRACE_MS: String(GRACE_MS) },
);
