import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { buildApp } from '../../app.js';
import { bearer, createOrgWithUsers, listen, loginAs } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { clamdScan } from './clamd.js';
import { startClamd } from './files.fixture.js';
import { blobKey } from './files.service.js';
import { filesTasks } from './files.tasks.js';

/**
 * Attachment costs on this machine (`npx tsx packages/server/src/modules/files/files.bench.ts`): upload
 * time and the server's peak memory (its own process) around 10 MB uploads, how fast an oversize body is
 * refused, thumbnail time for a 12 MP JPEG, clamd INSTREAM time for 10 MB. Prints one JSON object.
 */
const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Peak resident memory (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 102.4) / 10;
}

/**
 * The server alone in its own process (`switchboard start`, embedded, demo org): its peak RSS before and
 * after five 10 MB uploads and a 50 MB oversize body streamed without a length.
 */
async function serverMemory(): Promise<{ idleMb: number; afterUploadsMb: number; afterOversizeMb: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-files-bench-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  const bin = path.resolve(import.meta.dirname, '../../../bin/switchboard.js');
  const child = spawn(process.execPath, [bin, 'start'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      FILES_MAX_BYTES: String(10 * MB),
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@demo.example', password: 'switchboard-demo' }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const conv = await fetch(`${url}/api/v1/conversations`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'group', name: 'bench' }),
    });
    const conversationId = ((await conv.json()) as { conversation: { id: string } }).conversation.id;
    const idleMb = peakRssMb(child.pid as number);
    const file = path.join(dir, 'ten.txt');
    fs.writeFileSync(file, Buffer.alloc(10 * MB - 1024, 'lorem ipsum dolor sit amet\n'));
    for (let i = 0; i < 5; i++) {
      const form = new FormData();
      form.append('file', await fs.openAsBlob(file), `ten-${i}.txt`);
      const res = await fetch(`${url}/api/v1/files?conversationId=${conversationId}`, {
        method: 'POST',
        headers: bearer(token),
        body: form,
      });
      if (res.status !== 201) throw new Error(`upload ${res.status} ${await res.text()}`);
    }
    const afterUploadsMb = peakRssMb(child.pid as number);
    const big = await fetch(`${url}/api/v1/files?conversationId=${conversationId}`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'multipart/form-data; boundary=benchboundary' },
      body: Readable.toWeb(Readable.from(oversize())),
      duplex: 'half',
    } as RequestInit);
    if (big.status !== 413) throw new Error(`oversize answered ${big.status}`);
    return { idleMb, afterUploadsMb, afterOversizeMb: peakRssMb(child.pid as number) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A 50 MB multipart body, generated as it is sent. */
async function* oversize() {
  const boundary = 'benchboundary';
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\n\r\n`);
  for (let i = 0; i < 50; i++) yield Buffer.alloc(MB, 'a');
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

async function main() {
  const serverPeakRss = await serverMemory();
  const app = await buildApp(testConfig({ FILES_MAX_BYTES: String(10 * MB) }));
  const url = await listen(app);
  const org = await createOrgWithUsers(app.platform);
  const token = (await loginAs(app, org.emails.agent)).accessToken;
  const conv = await app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: bearer(token),
    payload: { kind: 'group', name: 'bench' },
  });
  const conversationId = conv.json().conversation.id as string;
  const post = (body: FormData | ReadableStream, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/v1/files?conversationId=${conversationId}`, {
      method: 'POST',
      headers: { ...bearer(token), ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  const text = Buffer.alloc(10 * MB - 1024, 'lorem ipsum dolor sit amet\n');
  const uploadMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const form = new FormData();
    form.append('file', new Blob([text]), `big-${i}.txt`);
    const t0 = performance.now();
    const res = await post(form);
    if (res.status !== 201) throw new Error(`upload ${res.status} ${await res.text()}`);
    uploadMs.push(performance.now() - t0);
  }

  // 50 MB streamed without Content-Length: refused once 10 MB are crossed; the rest is drained, never kept.
  let t0 = performance.now();
  const chunked = await post(Readable.toWeb(Readable.from(oversize())) as unknown as ReadableStream, {
    'content-type': 'multipart/form-data; boundary=benchboundary',
  });
  const chunkedMs = performance.now() - t0;

  const jpeg = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#468' } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([jpeg]), 'photo.jpg');
  const meta = (await (await post(form)).json()) as { id: string };
  const tasks = filesTasks(app.platform, { notify: () => {} }, { warn: () => {} });
  t0 = performance.now();
  await tasks.thumbnails({ orgId: org.org.id, fileId: meta.id });
  const thumbnailMs = performance.now() - t0;

  const clamd = await startClamd();
  const scanMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    t0 = performance.now();
    await clamdScan({ path: clamd.socket }, Readable.from([text]));
    scanMs.push(performance.now() - t0);
  }
  await clamd.stop();
  await app.platform.blobs.delete(blobKey({ orgId: org.org.id, id: randomUUID() }));
  await app.close();

  console.log(
    JSON.stringify(
      {
        upload10MbMedianMs: Math.round(median(uploadMs)),
        upload10MbMs: uploadMs.map(Math.round),
        serverPeakRss,
        oversizeChunked50Mb: { status: chunked.status, ms: Math.round(chunkedMs) },
        thumbnails12MpJpegMs: Math.round(thumbnailMs),
        clamdScan10MbMedianMs: Math.round(median(scanMs)),
      },
      null,
      2,
    ),
  );
}

await main();
