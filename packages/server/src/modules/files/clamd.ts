import net from 'node:net';
import type { Readable } from 'node:stream';

export type ClamdAddress = Readonly<{ path: string } | { host: string; port: number }>;

/** What clamd said about one stream. */
export type ScanVerdict = { infected: false } | { infected: true; signature: string };

/** clamd answered with an error, or the connection failed: the scan can be retried. */
export class ClamdError extends Error {
  override name = 'ClamdError';
}

/** clamd's default StreamMaxLength is 25 MB; chunks stay well under any sane limit. */
const CHUNK = 64 * 1024;

/**
 * Scan `body` with clamd's INSTREAM command: `zINSTREAM\0`, then chunks each prefixed with a 4-byte
 * big-endian length, then a zero length; the reply is `stream: OK`, `stream: <signature> FOUND` or
 * `… ERROR`, NUL-terminated. No client library: the protocol is this small.
 *
 * @example
 * ```ts
 * const verdict = await clamdScan({ path: '/run/clamav/clamd.ctl' }, fs.createReadStream(file));
 * ```
 */
export function clamdScan(
  address: ClamdAddress,
  body: Readable,
  opts: { timeoutMs?: number } = {},
): Promise<ScanVerdict> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in address ? net.connect(address.path) : net.connect(address.port, address.host);
    let reply = '';
    let settled = false;
    const finish = (err: Error | undefined, verdict?: ScanVerdict) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      body.destroy();
      if (err) reject(err);
      else resolve(verdict as ScanVerdict);
    };
    socket.setTimeout(opts.timeoutMs ?? 60_000, () => finish(new ClamdError('clamd timed out')));
    socket.on('error', (err) => finish(new ClamdError(`clamd: ${err.message}`)));
    socket.on('data', (d) => {
      reply += d.toString('utf8');
      if (reply.includes('\0')) socket.end();
    });
    socket.on('close', () => {
      const line = reply.replace(/\0.*$/s, '').trim();
      if (!line) return finish(new ClamdError('clamd closed without an answer'));
      const m = /^stream: (.+?) (FOUND|ERROR)$/.exec(line);
      if (line === 'stream: OK') finish(undefined, { infected: false });
      else if (m?.[2] === 'FOUND') finish(undefined, { infected: true, signature: m[1] as string });
      else finish(new ClamdError(`clamd: ${line}`));
    });
    socket.on('connect', async () => {
      try {
        socket.write('zINSTREAM\0');
        for await (const data of body) {
          const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as string);
          for (let i = 0; i < buf.length; i += CHUNK) {
            const part = buf.subarray(i, i + CHUNK);
            const len = Buffer.alloc(4);
            len.writeUInt32BE(part.length);
            // Respect backpressure: a slow clamd must not make us hold the file in memory.
            if (!socket.write(Buffer.concat([len, part]))) await new Promise((r) => socket.once('drain', r));
            if (settled) return;
          }
        }
        socket.write(Buffer.alloc(4));
      } catch (err) {
        finish(new ClamdError(`reading the file for the scan failed: ${(err as Error).message}`));
      }
    });
  });
}
