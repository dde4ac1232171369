import multipart from '@fastify/multipart';
import {
  FileIdParamsSchema,
  FileMetaSchema,
  ProblemSchema,
  filesRouteDefs as routes,
  ThumbnailParamsSchema,
  type ThumbnailSize,
  UploadQuerySchema,
} from '@switchboard/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { actorOf } from '../../http/access.js';
import { registerRoute } from '../../http/define-route.js';
import { denied, security } from '../../http/route-docs.js';
import type { Download, FilesService } from './files.service.js';
import { parseRange } from './range.js';

const tags = ['files'];
const access = 'authenticated' as const;
const problems = { ...denied, 404: ProblemSchema };
/** Room for the multipart envelope (boundaries, part headers) around the file itself. */
const ENVELOPE_BYTES = 64 * 1024;

/** Send a file or thumbnail with the safety headers and, when asked, one byte range. */
async function sendDownload(req: FastifyRequest, reply: FastifyReply, d: Download, inline: boolean) {
  const name = encodeURIComponent(d.meta.name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  reply
    .header('content-type', d.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`)
    .header('cache-control', 'private, max-age=300')
    .header('accept-ranges', 'bytes');
  const range = parseRange(req.headers.range, d.size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${d.size}`);
    throw new AppError('range_not_satisfiable', `the file has ${d.size} bytes`);
  }
  if (!range) return reply.header('content-length', d.size).send(await d.read());
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${d.size}`)
    .header('content-length', range.end - range.start + 1)
    .send(await d.read(range));
}

/** Uploads (multipart, streamed), downloads with Range, thumbnails, and the org's file settings. */
export async function filesRoutes(app: FastifyInstance, files: FilesService, maxBytes: number) {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } });
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Hand-written: a streamed multipart upload, its size refused before the body is read.
  r.post(
    '/api/v1/files',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Upload a file to a conversation (multipart/form-data, one part named `file`)',
        security,
        querystring: UploadQuerySchema,
        response: { 201: FileMetaSchema, ...problems, 413: ProblemSchema, 415: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (req, reply) => {
      // A declared length past the limit is refused before a byte of the body is read.
      if (Number(req.headers['content-length'] ?? 0) > maxBytes + ENVELOPE_BYTES) {
        reply.header('connection', 'close');
        throw new AppError('payload_too_large', `files may be at most ${maxBytes} bytes`);
      }
      if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'send multipart/form-data');
      const part = await req.file().catch((err: { statusCode?: number; message: string }) => {
        if (err.statusCode === 413) throw new AppError('payload_too_large', err.message);
        throw new AppError('bad_request', err.message);
      });
      if (part?.fieldname !== 'file') throw new AppError('bad_request', 'one part named `file` is required');
      try {
        const meta = await files.upload(actorOf(req), req.query.conversationId, part);
        return reply.status(201).send(meta);
      } catch (err) {
        part.file.resume();
        throw err;
      }
    },
  );
  registerRoute(app, routes.fileSettings, ({ actor }) => files.settings(actor));
  registerRoute(app, routes.updateFileSettings, ({ actor, body }) => files.updateSettings(actor, body));
  registerRoute(app, routes.fileMeta, ({ actor, params }) => files.meta(actor, params.id));
  // Hand-written: the bytes of a file or thumbnail, with Range and the download headers, not JSON.
  r.get(
    '/api/v1/files/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Download a file (Range supported); members of its conversation only',
        security,
        params: FileIdParamsSchema,
        response: { ...problems, 409: ProblemSchema, 410: ProblemSchema, 416: ProblemSchema },
      },
    },
    async (req, reply) => {
      const d = await files.download(actorOf(req), req.params.id);
      return sendDownload(req, reply, d, d.meta.kind === 'image');
    },
  );
  r.get(
    '/api/v1/files/:id/thumbnails/:size',
    {
      config: { access },
      schema: {
        tags,
        summary: 'A WebP thumbnail of an image (100, 300 or 600 px)',
        security,
        params: ThumbnailParamsSchema,
        response: { ...problems, 409: ProblemSchema, 410: ProblemSchema, 416: ProblemSchema },
      },
    },
    async (req, reply) => {
      const d = await files.thumbnail(actorOf(req), req.params.id, req.params.size as ThumbnailSize);
      return sendDownload(req, reply, d, true);
    },
  );
}
