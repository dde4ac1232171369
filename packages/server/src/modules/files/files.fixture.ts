import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FileMeta } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { bearer } from '../../test/auth.js';

/**
 * Test fixtures for the files module: multipart bodies, real images (sharp), hostile files, a polling
 * helper for task results, and a real clamd (Debian's clamav-daemon) with a signature database the test
 * writes.
 */

/** A multipart/form-data body with one part named `file`, as a browser sends it. */
export function multipart(filename: string, content: Buffer, type = 'application/octet-stream') {
  const boundary = `----sbtest${randomUUID()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function upload(
  app: FastifyInstance,
  token: string,
  conversationId: string,
  filename: string,
  content: Buffer,
  type?: string,
) {
  const body = multipart(filename, content, type);
  return app.inject({
    method: 'POST',
    url: `/api/v1/files?conversationId=${conversationId}`,
    headers: { ...bearer(token), ...body.headers },
    payload: body.payload,
  });
}

/** Poll a file's metadata until `done` holds (tasks run on the queue's workers); fails after ~15 s. */
export async function waitForMeta(
  app: FastifyInstance,
  token: string,
  id: string,
  done: (m: FileMeta) => boolean,
): Promise<FileMeta> {
  let last: FileMeta | undefined;
  for (let i = 0; i < 300; i++) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/files/${id}/meta`, headers: bearer(token) });
    last = res.json() as FileMeta;
    if (res.statusCode === 200 && done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`file ${id} never reached the expected state; last: ${JSON.stringify(last)}`);
}

export const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();

/** A landscape JPEG stored sideways: EXIF orientation 6 says "turn a quarter clockwise to display". */
export const sidewaysJpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A pixel bomb: a valid PNG header claiming `side`×`side` pixels with a tiny zlib stream of zeros (a few
 * KB that would inflate to gigabytes).
 */
export function pixelBombPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const rows = zlib.deflateSync(Buffer.alloc(side + 1), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid PNG that is also an HTML page: a text chunk carrying a script (a polyglot). */
export async function polyglotPng(): Promise<Buffer> {
  const image = await png(4, 4);
  const iend = image.length - 12;
  const text = chunk('tEXt', Buffer.from('Comment\0<html><script>alert(document.cookie)</script></html>', 'latin1'));
  return Buffer.concat([image.subarray(0, iend), text, image.subarray(iend)]);
}

/** The EICAR anti-virus test string: harmless, and every scanner treats it as a virus. */
/**
 * A ZIP archive (deflated entries, local headers, central directory), as Word and LibreOffice write them.
 * Enough for the OOXML fixtures below; not a general zip writer.
 */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const raw = Buffer.from(text);
    const data = zlib.deflateRawSync(raw);
    const fileName = Buffer.from(name);
    const crc = zlib.crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal Word document (the three parts Word needs to open it) with one paragraph of `text`. */
export function docx(text: string): Buffer {
  const ns = 'http://schemas.openxmlformats.org';
  return zip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="${ns}/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
  });
}

export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');

/** clamd answers `zPING\0` with `PONG` once it accepts commands. */
function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    let reply = '';
    c.on('connect', () => c.write('zPING\0'));
    c.on('data', (d) => {
      reply += d.toString();
    });
    c.on('error', () => resolve(false));
    c.on('close', () => resolve(reply.startsWith('PONG')));
  });
}

export interface Clamd {
  socket: string;
  /** Freeze the daemon (SIGSTOP): scans connect and wait, unanswered, until `resume()`. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * Start Debian's clamd on a Unix socket in a temporary directory, with one signature the test writes (the
 * MD5 of EICAR). Throws — never skips — when clamd is missing or does not come up: CI installs it.
 */
export async function startClamd(
  socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-clamd-')), 'clamd.sock'),
): Promise<Clamd> {
  const bin = '/usr/sbin/clamd';
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: apt-get install -y clamav-daemon (see .ci/run)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-clamd-'));
  const db = path.join(dir, 'db');
  fs.mkdirSync(db);
  const md5 = createHash('md5').update(EICAR).digest('hex');
  fs.writeFileSync(path.join(db, 'switchboard-test.hdb'), `${md5}:${EICAR.length}:Switchboard-Test-EICAR\n`);
  const conf = path.join(dir, 'clamd.conf');
  fs.writeFileSync(
    conf,
    [
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${db}`,
      'Foreground yes',
      `LogFile ${path.join(dir, 'clamd.log')}`,
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['-c', conf], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  let up = false;
  for (let i = 0; i < 300 && !up && !exited; i++) {
    up = fs.existsSync(socket) && (await ping(socket));
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) {
    child.kill('SIGKILL');
    const logFile = path.join(dir, 'clamd.log');
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '(no log)';
    throw new Error(`clamd did not start:\n${log}`);
  }
  return {
    socket,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      if (!exited) {
        child.kill('SIGCONT');
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(socket, { force: true });
    },
  };
}
