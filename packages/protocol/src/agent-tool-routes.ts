import {
  CannedResponseListSchema,
  CannedResponseSchema,
  CreateCannedResponseSchema,
  UpdateCannedResponseSchema,
} from './canned-responses.js';
import { STAFF_ROLES, SUPERVISOR_ROLES } from './common.js';
import { ArticleIdParamsSchema, HandoffParamsSchema } from './contact-center.js';
import {
  ConversationLabelParamsSchema,
  ConversationLabelsEventSchema,
  CreateLabelSchema,
  LabelIdParamsSchema,
  LabelListSchema,
  LabelSchema,
} from './labels.js';
import { defineRoute } from './routes.js';
import { CreateSupportNoteSchema, SupportNoteListSchema, SupportNoteSchema } from './support-notes.js';

const tags = ['contact center'] as const;

/** Putting a label on a support conversation and taking it off: the same resource, two methods. */
const conversationLabel = {
  path: '/api/v1/support/:conversationId/labels/:labelId',
  tags,
  access: STAFF_ROLES,
  params: ConversationLabelParamsSchema,
  status: 200,
  response: ConversationLabelsEventSchema,
  errors: [404],
} as const;

/**
 * The agent tools' REST routes (labels, canned responses, private notes), defined once for the server and
 * the SDK (see `defineRoute`). Staff only; managing labels and the team's canned responses is for
 * supervisors and admins (the services check the latter per response).
 */
export const agentToolRouteDefs = {
  listLabels: defineRoute({
    method: 'GET',
    path: '/api/v1/labels',
    summary: "The org's labels, by name",
    tags,
    access: STAFF_ROLES,
    status: 200,
    response: LabelListSchema,
  }),
  createLabel: defineRoute({
    method: 'POST',
    path: '/api/v1/labels',
    summary: 'Add a label (supervisors and admins)',
    tags,
    access: SUPERVISOR_ROLES,
    body: CreateLabelSchema,
    status: 201,
    response: LabelSchema,
    errors: [400, 409],
  }),
  deleteLabel: defineRoute({
    method: 'DELETE',
    path: '/api/v1/labels/:id',
    summary: 'Delete a label and take it off every conversation (supervisors and admins)',
    tags,
    access: SUPERVISOR_ROLES,
    params: LabelIdParamsSchema,
    status: 204,
    response: null,
    errors: [404],
  }),
  addLabel: defineRoute({
    ...conversationLabel,
    method: 'PUT',
    summary: 'Put a label on a support conversation',
  }),
  removeLabel: defineRoute({
    ...conversationLabel,
    method: 'DELETE',
    summary: 'Take a label off a support conversation',
  }),
  listCanned: defineRoute({
    method: 'GET',
    path: '/api/v1/canned-responses',
    summary: "The team's canned responses and my own, by shortcut",
    tags,
    access: STAFF_ROLES,
    status: 200,
    response: CannedResponseListSchema,
  }),
  createCanned: defineRoute({
    method: 'POST',
    path: '/api/v1/canned-responses',
    summary: "Add a canned response: personal (anyone) or the team's (supervisors and admins)",
    tags,
    access: STAFF_ROLES,
    body: CreateCannedResponseSchema,
    status: 201,
    response: CannedResponseSchema,
    errors: [400, 409],
  }),
  updateCanned: defineRoute({
    method: 'PATCH',
    path: '/api/v1/canned-responses/:id',
    summary: "Change a canned response (my own; the team's: supervisors and admins)",
    tags,
    access: STAFF_ROLES,
    params: ArticleIdParamsSchema,
    body: UpdateCannedResponseSchema,
    status: 200,
    response: CannedResponseSchema,
    errors: [400, 404, 409],
  }),
  deleteCanned: defineRoute({
    method: 'DELETE',
    path: '/api/v1/canned-responses/:id',
    summary: "Delete a canned response (my own; the team's: supervisors and admins)",
    tags,
    access: STAFF_ROLES,
    params: ArticleIdParamsSchema,
    status: 204,
    response: null,
    errors: [404],
  }),
  listNotes: defineRoute({
    method: 'GET',
    path: '/api/v1/support/:conversationId/notes',
    summary: "A support conversation's private notes and AI summaries, oldest first (staff only)",
    tags,
    access: STAFF_ROLES,
    params: HandoffParamsSchema,
    status: 200,
    response: SupportNoteListSchema,
    errors: [404],
  }),
  addNote: defineRoute({
    method: 'POST',
    path: '/api/v1/support/:conversationId/notes',
    summary: 'Add a private note for colleagues (never shown to the customer)',
    tags,
    access: STAFF_ROLES,
    params: HandoffParamsSchema,
    body: CreateSupportNoteSchema,
    status: 201,
    response: SupportNoteSchema,
    errors: [400, 404],
  }),
};
