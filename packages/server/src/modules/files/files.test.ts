import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FileMeta } from '@switchboard/protocol';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, listen, type OrgFixture, sessionFor } from '../../test/auth.js';
import { docx, pixelBombPng, png, polyglotPng, sidewaysJpeg, upload, waitForMeta, zip } from './files.fixture.js';

const MAX_BYTES = 256 * 1024;

describeApp(
  'files: uploads, type checks, thumbnails, downloads',
  (ctx) => {
    let org: OrgFixture;
    let agent: string;
    let other: string;
    let outsider: string;
    let conversationId: string;

    beforeAll(async () => {
      const { app, platform } = ctx();
      org = await createOrgWithUsers(platform);
      agent = (await sessionFor(platform, org.users.agent)).accessToken;
      other = (await sessionFor(platform, org.users.supervisor)).accessToken;
      outsider = (await sessionFor(platform, org.users.admin)).accessToken;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(agent),
        payload: { kind: 'group', name: 'files', memberIds: [org.users.supervisor.id] },
      });
      expect(res.statusCode).toBe(201);
      conversationId = res.json().conversation.id;
    });

    const send = (token: string, fileIds: string[]) =>
      ctx().app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: bearer(token),
        payload: { clientMsgId: crypto.randomUUID(), text: 'see attached', attachments: fileIds },
      });

    it('stores an image under a random id and makes 100/300/600 px WebP thumbnails with orientation applied', async () => {
      const { app } = ctx();
      const res = await upload(app, agent, conversationId, 'holiday.jpg', await sidewaysJpeg(800, 400), 'text/html');
      expect(res.statusCode, res.body).toBe(201);
      const meta = res.json() as FileMeta;
      // Displayed upright: the stored 800×400 turned a quarter.
      expect(meta).toMatchObject({
        name: 'holiday.jpg',
        contentType: 'image/jpeg',
        kind: 'image',
        width: 400,
        height: 800,
      });
      expect(meta.scanState).toBe('unscanned');
      const ready = await waitForMeta(app, agent, meta.id, (m) => m.thumbnails.length === 3);
      expect(ready.thumbnails).toEqual([100, 300, 600]);
      for (const size of [100, 300, 600]) {
        const t = await app.inject({
          method: 'GET',
          url: `/api/v1/files/${meta.id}/thumbnails/${size}`,
          headers: bearer(agent),
        });
        expect(t.statusCode).toBe(200);
        expect(t.headers['content-type']).toBe('image/webp');
        const info = await sharp(t.rawPayload).metadata();
        expect(info.format).toBe('webp');
        expect([info.width, info.height]).toEqual([size / 2, size]);
        expect(info.exif).toBeUndefined();
        expect(info.orientation).toBeUndefined();
      }
      const blobs = fs.readdirSync(path.join(ctx().platform.config.dataDir, 'blobs', 'files', org.org.id));
      expect(blobs).toContain(meta.id);
      expect(blobs.join()).not.toContain('holiday');
    });

    it('accepts each listed type, decided by content whatever the client says', async () => {
      const { app } = ctx();
      const image = (format: 'gif' | 'webp' | 'png' | 'jpeg') =>
        sharp({ create: { width: 12, height: 8, channels: 3, background: '#888' } })
          .toFormat(format)
          .toBuffer();
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
      const cases: [string, Buffer, string][] = [
        ['a.gif', await image('gif'), 'image/gif'],
        ['a.webp', await image('webp'), 'image/webp'],
        ['a.jpeg', await image('jpeg'), 'image/jpeg'],
        ['a.pdf', pdf, 'application/pdf'],
        [
          'letter.docx',
          docx('Dear customer'),
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ],
        ['notes.md', Buffer.from('# Title\n\nSome *markdown* text, ünïcode.'), 'text/plain'],
        ['no-extension', await image('png'), 'image/png'],
      ];
      for (const [name, content, type] of cases) {
        const res = await upload(app, agent, conversationId, name, content, 'application/x-evil');
        expect([name, res.statusCode, res.json().contentType]).toEqual([name, 201, type]);
      }
    });

    it('refuses spoofed types, disguised markup, polyglots, unlisted types and pixel bombs with clear codes', async () => {
      const { app } = ctx();
      const cases: [string, Buffer, number, string][] = [
        ['report.pdf', await png(8, 8), 415, 'file_type_mismatch'],
        ['notes.txt', await png(8, 8), 415, 'file_type_mismatch'],
        ['cat.png', Buffer.from('just some words'), 415, 'file_type_mismatch'],
        [
          'logo.png',
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
          415,
          'file_type_refused',
        ],
        ['page.png', Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'), 415, 'file_type_refused'],
        ['readme.txt', Buffer.from('<?xml version="1.0"?><svg/>'), 415, 'file_type_refused'],
        ['pic.png', await polyglotPng(), 415, 'file_type_refused'],
        [
          'doc.pdf',
          Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n<html><script>alert(1)</script></html>\n%%EOF'),
          415,
          'file_type_refused',
        ],
        ['tool.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]), 415, 'file_type_refused'],
        ['archive.zip', Buffer.from('504b0304140000000000', 'hex'), 415, 'file_type_refused'],
        // A zip that is not a Word document, named as one: the archive type is not accepted.
        ['letter.docx', zip({ 'notes/readme.txt': 'hello' }), 415, 'file_type_refused'],
        // A Word document named as a PDF.
        ['letter.pdf', docx('Dear customer'), 415, 'file_type_mismatch'],
        ['binary.txt', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), 415, 'file_type_refused'],
        ['bomb.png', pixelBombPng(30_000), 422, 'image_too_large'],
        ['empty.txt', Buffer.alloc(0), 415, 'file_type_refused'],
      ];
      for (const [name, content, status, code] of cases) {
        const res = await upload(app, agent, conversationId, name, content, 'image/png');
        expect([name, res.statusCode, res.json().code]).toEqual([name, status, code]);
      }
      expect(fs.readdirSync(path.join(ctx().platform.config.dataDir, 'tmp'))).toEqual([]);
    });

    it('refuses an oversize file with 413 and keeps nothing of it', async () => {
      const { app } = ctx();
      const res = await upload(app, agent, conversationId, 'big.txt', Buffer.alloc(MAX_BYTES + 1, 'a'));
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('payload_too_large');
      expect(fs.readdirSync(path.join(ctx().platform.config.dataDir, 'tmp'))).toEqual([]);
      const ok = await upload(app, agent, conversationId, 'fits.txt', Buffer.alloc(MAX_BYTES, 'a'));
      expect(ok.statusCode).toBe(201);
    });

    it('answers 413 to a declared oversize body before the client has sent it', async () => {
      const url = new URL(await listen(ctx().app));
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/api/v1/files?conversationId=${conversationId}`,
          headers: {
            ...bearer(agent),
            'content-type': 'multipart/form-data; boundary=x',
            'content-length': String(1024 * 1024 * 1024),
          },
        });
        req.on('response', (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          req.destroy();
        });
        req.on('error', reject);
        // Only the first 16 KB of the declared gigabyte is ever written; the answer comes anyway.
        req.write(Buffer.alloc(16 * 1024, 'a'));
      });
      expect(status).toBe(413);
    });

    it('serves with the stored type, nosniff, attachment for documents, and byte ranges', async () => {
      const { app } = ctx();
      const text = Buffer.from('0123456789 hello ünïcode');
      const up = await upload(app, agent, conversationId, 'notes.txt', text, 'text/html');
      const { id } = up.json() as FileMeta;
      const full = await app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: bearer(agent) });
      expect(full.statusCode).toBe(200);
      expect(full.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(full.headers['x-content-type-options']).toBe('nosniff');
      expect(full.headers['content-disposition']).toBe("attachment; filename*=UTF-8''notes.txt");
      expect(full.headers['accept-ranges']).toBe('bytes');
      expect(full.rawPayload.equals(text)).toBe(true);
      const part = await app.inject({
        method: 'GET',
        url: `/api/v1/files/${id}`,
        headers: { ...bearer(agent), range: 'bytes=2-5' },
      });
      expect(part.statusCode).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 2-5/${text.length}`);
      expect(part.body).toBe('2345');
      const suffix = await app.inject({
        method: 'GET',
        url: `/api/v1/files/${id}`,
        headers: { ...bearer(agent), range: 'bytes=-4' },
      });
      expect(suffix.rawPayload.equals(text.subarray(-4))).toBe(true);
      const past = await app.inject({
        method: 'GET',
        url: `/api/v1/files/${id}`,
        headers: { ...bearer(agent), range: 'bytes=9999-' },
      });
      expect(past.statusCode).toBe(416);
      expect(past.json().code).toBe('range_not_satisfiable');
      const image = await upload(app, agent, conversationId, 'dot.png', await png(3, 3));
      const img = await app.inject({ method: 'GET', url: `/api/v1/files/${image.json().id}`, headers: bearer(agent) });
      expect(img.headers['content-type']).toBe('image/png');
      expect(img.headers['content-disposition']).toMatch(/^inline;/);
    });

    it('lets only the uploader see an unsent file, then only conversation members: 404 for everyone else', async () => {
      const { app } = ctx();
      const up = await upload(app, agent, conversationId, 'plan.txt', Buffer.from('the plan'));
      const { id } = up.json() as FileMeta;
      const get = (token: string) => app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: bearer(token) });
      expect((await get(agent)).statusCode).toBe(200);
      expect((await get(other)).statusCode).toBe(404);
      expect((await send(agent, [id])).statusCode).toBe(201);
      expect((await get(other)).statusCode).toBe(200);
      expect((await get(outsider)).statusCode).toBe(404);
      const meta = await app.inject({ method: 'GET', url: `/api/v1/files/${id}/meta`, headers: bearer(outsider) });
      expect(meta.statusCode).toBe(404);
      const stranger = await createOrgWithUsers(ctx().platform);
      const theirs = (await sessionFor(ctx().platform, stranger.users.admin)).accessToken;
      expect((await get(theirs)).statusCode).toBe(404);
      const intoForeign = await upload(app, outsider, conversationId, 'x.txt', Buffer.from('x'));
      expect(intoForeign.statusCode).toBe(404);
    });

    it('needs multipart with one part named file', async () => {
      const { app } = ctx();
      const json = await app.inject({
        method: 'POST',
        url: `/api/v1/files?conversationId=${conversationId}`,
        headers: bearer(agent),
        payload: { file: 'x' },
      });
      expect([json.statusCode, json.json().code]).toEqual([415, 'unsupported_media_type']);
      const boundary = 'b0undary';
      const wrong = await app.inject({
        method: 'POST',
        url: `/api/v1/files?conversationId=${conversationId}`,
        headers: { ...bearer(agent), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="other"; filename="a.txt"\r\n\r\nabc\r\n--${boundary}--\r\n`,
      });
      expect([wrong.statusCode, wrong.json().code]).toEqual([400, 'bad_request']);
    });

    it('serves unscanned files to members only while the org allows it', async () => {
      const { app } = ctx();
      const up = await upload(app, agent, conversationId, 'maybe.txt', Buffer.from('unscanned content'));
      const { id } = up.json() as FileMeta;
      await send(agent, [id]);
      const put = (serveUnscanned: boolean) =>
        app.inject({
          method: 'PUT',
          url: '/api/v1/files/settings',
          headers: bearer(outsider),
          payload: { serveUnscanned },
        });
      expect((await put(false)).json()).toEqual({
        serveUnscanned: false,
        scannerConfigured: false,
        maxBytes: MAX_BYTES,
      });
      const refused = await app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: bearer(other) });
      expect([refused.statusCode, refused.json().code]).toEqual([409, 'file_not_ready']);
      expect((await app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: bearer(agent) })).statusCode).toBe(
        200,
      );
      await put(true);
      expect((await app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: bearer(other) })).statusCode).toBe(
        200,
      );
    });
  },
  { FILES_MAX_BYTES: String(MAX_BYTES) },
);
