import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileMeta } from '@switchboard/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, sessionFor } from '../../test/auth.js';
import { clamdScan } from './clamd.js';
import { type Clamd, EICAR, startClamd, upload, waitForMeta } from './files.fixture.js';

/**
 * The virus scan against a real clamd (Debian's clamav-daemon) that the test starts with a signature
 * database it writes. The socket path is fixed before the app is built; clamd is started inside the
 * suite, so the first test sees the scanner down (scan error, retried) and then up.
 */
const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-clamd-sock-'));
const CLAMD_SOCKET = path.join(socketDir, 'clamd.sock');
afterAll(() => fs.rmSync(socketDir, { recursive: true, force: true }));

it('speaks INSTREAM to clamd: EICAR is FOUND with the test signature, other bytes are OK', async () => {
  const clamd = await startClamd();
  try {
    const { Readable } = await import('node:stream');
    expect(await clamdScan({ path: clamd.socket }, Readable.from([EICAR]))).toEqual({
      infected: true,
      signature: 'Switchboard-Test-EICAR.UNOFFICIAL',
    });
    const big = Buffer.alloc(300_000, 'x');
    expect(await clamdScan({ path: clamd.socket }, Readable.from([big]))).toEqual({ infected: false });
  } finally {
    await clamd.stop();
  }
});

describeApp(
  'files: virus scan with a real clamd',
  (ctx) => {
    let clamd: Clamd | undefined;
    let agent: string;
    let member: string;
    let conversationId: string;

    beforeAll(async () => {
      const { app, platform } = ctx();
      const org = await createOrgWithUsers(platform);
      agent = (await sessionFor(platform, org.users.agent)).accessToken;
      member = (await sessionFor(platform, org.users.supervisor)).accessToken;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(agent),
        payload: { kind: 'group', name: 'scan', memberIds: [org.users.supervisor.id] },
      });
      conversationId = res.json().conversation.id;
    });
    afterAll(async () => clamd?.stop());

    const send = (fileIds: string[]) =>
      ctx().app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: bearer(agent),
        payload: { clientMsgId: crypto.randomUUID(), text: 'file', attachments: fileIds },
      });
    const get = (token: string, id: string) =>
      ctx().app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: bearer(token) });

    it('holds a file while the scanner is down (error, uploader only) and retries it to clean', async () => {
      const { app, clock } = ctx();
      const up = await upload(app, agent, conversationId, 'report.txt', Buffer.from('quarterly numbers'));
      expect(up.statusCode).toBe(201);
      const meta = up.json() as FileMeta;
      expect(meta.scanState).toBe('pending');
      expect((await send([meta.id])).statusCode).toBe(201);
      await waitForMeta(app, agent, meta.id, (m) => m.scanState === 'error');
      const held = await get(member, meta.id);
      expect([held.statusCode, held.json().code]).toEqual([409, 'file_not_ready']);
      expect((await get(agent, meta.id)).statusCode).toBe(200);
      clamd = await startClamd(CLAMD_SOCKET);
      clock.advance(5 * 60_000); // past the retry's backoff (at most 5 min), within the token's life
      await waitForMeta(app, agent, meta.id, (m) => m.scanState === 'clean');
      const served = await get(member, meta.id);
      expect([served.statusCode, served.body]).toEqual([200, 'quarterly numbers']);
    });

    it('quarantines EICAR: infected, served to nobody, the uploader told over the socket', async () => {
      const { app } = ctx();
      const socket = await connectSocket(await listen(app), agent);
      try {
        const told = new Promise<FileMeta>((resolve) =>
          socket.on('file.updated', (m: FileMeta) => m.scanState === 'infected' && resolve(m)),
        );
        // Frozen clamd: the scan waits, so the message goes out while the file is pending, as when a
        // scan takes longer than the sender; the member then holds a message with a file found infected.
        clamd?.pause();
        const up = await upload(app, agent, conversationId, 'eicar.txt', EICAR);
        expect(up.statusCode).toBe(201);
        const { id } = up.json() as FileMeta;
        const sent = await send([id]);
        clamd?.resume();
        expect(sent.statusCode).toBe(201);
        await waitForMeta(app, agent, id, (m) => m.scanState === 'infected');
        expect((await told).id).toBe(id);
        for (const token of [agent, member]) {
          const res = await get(token, id);
          expect([res.statusCode, res.json().code]).toEqual([410, 'file_quarantined']);
        }
        const again = await upload(app, agent, conversationId, 'eicar2.txt', EICAR);
        const second = again.json() as FileMeta;
        await waitForMeta(app, agent, second.id, (m) => m.scanState === 'infected');
        const refused = await send([second.id]);
        expect([refused.statusCode, refused.json().code]).toEqual([410, 'file_quarantined']);
      } finally {
        socket.disconnect();
      }
    });
  },
  { CLAMD_SOCKET },
);
