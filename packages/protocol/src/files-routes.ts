import { ADMIN_ROLES } from './common.js';
import { FileIdParamsSchema, FileMetaSchema, FileSettingsSchema, UpdateFileSettingsSchema } from './files.js';
import { defineRoute } from './routes.js';

const tags = ['files'] as const;

/**
 * The files API's JSON routes (a file's metadata, the org's file settings), defined once for the server
 * and the SDK (see `defineRoute`). The multipart upload and the binary downloads (Range, thumbnails) stay
 * hand-written in the server's `files.http.ts` and the SDK's `api/files.ts`.
 */
export const filesRouteDefs = {
  fileSettings: defineRoute({
    method: 'GET',
    path: '/api/v1/files/settings',
    summary: "The org's file settings",
    tags,
    access: ADMIN_ROLES,
    status: 200,
    response: FileSettingsSchema,
  }),
  updateFileSettings: defineRoute({
    method: 'PUT',
    path: '/api/v1/files/settings',
    summary: 'Serve files while no virus scanner is configured, or not',
    tags,
    access: ADMIN_ROLES,
    body: UpdateFileSettingsSchema,
    status: 200,
    response: FileSettingsSchema,
  }),
  fileMeta: defineRoute({
    method: 'GET',
    path: '/api/v1/files/:id/meta',
    summary: "A file's metadata and scan state",
    tags,
    access: 'authenticated',
    params: FileIdParamsSchema,
    status: 200,
    response: FileMetaSchema,
    errors: [404],
  }),
};
