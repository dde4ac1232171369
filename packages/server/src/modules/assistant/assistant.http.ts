import {
  AiSettingsSchema,
  CsatSchema,
  HandoffParamsSchema,
  ProblemSchema,
  SupportStateSchema,
  TransferSchema,
  UpdateAiSettingsSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { type Actor, ADMINS, actorOf, STAFF, SUPERVISORS } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { ContactCenter } from './contact-center.js';

const found = { ...denied, 404: ProblemSchema };
const tags = ['contact center'];
const params = HandoffParamsSchema;
const done = { 204: z.null(), ...found };

/** A customer acts only on their own support conversations (others are `not_found`); staff on any of the org's. */
export async function requireSupportAccess(messenger: MessengerService, actor: Actor, conversationId: string) {
  const c = await messenger.support.get(actor.orgId, conversationId);
  if (actor.role === 'customer' && !c.members.some((m) => m.userId === actor.userId))
    throw new AppError('not_found', 'no such support conversation');
  return c;
}

export async function assistantRoutes(app: FastifyInstance, cc: ContactCenter, messenger: MessengerService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/ai/settings',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags,
        summary: "The org's assistant settings",
        security,
        response: { 200: AiSettingsSchema, ...denied },
      },
    },
    async (req) => cc.settings(actorOf(req).orgId),
  );
  r.patch(
    '/api/v1/ai/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Change the threshold, approval timeout, capacity or switch the AI off',
        security,
        body: UpdateAiSettingsSchema,
        response: { 200: AiSettingsSchema, ...denied },
      },
    },
    async (req) => cc.updateSettings(actorOf(req).orgId, req.body),
  );
  r.get(
    '/api/v1/ai/outcomes',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags,
        summary:
          'Outcome events for the dashboard (auto_sent, approved, edited, rejected, escalated, handed_off, resolved, csat)',
        security,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                conversationId: z.string(),
                kind: z.string(),
                confidence: z.number().nullable(),
                latencyMs: z.number().nullable(),
                data: z.unknown(),
                createdAt: z.number(),
              }),
            ),
          }),
          ...denied,
        },
      },
    },
    async (req) => ({ items: await cc.outcomes(actorOf(req).orgId) }),
  );
  r.get(
    '/api/v1/support/:conversationId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Status, assignee and queue position',
        security,
        params,
        response: { 200: SupportStateSchema, ...found },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await requireSupportAccess(messenger, actor, req.params.conversationId);
      const s = await cc.state(actor.orgId, req.params.conversationId);
      const settings = await cc.settingsRow(actor.orgId);
      return {
        conversationId: s.conversationId,
        status: SupportStateSchema.shape.status.catch('ai_active').parse(s.status),
        assignedTo: s.assignedTo,
        queuePosition: (await cc.queuePosition(actor.orgId, s.conversationId)) ?? null,
        aiUserId: settings.aiUserId,
        staffLabel: cc.toSettings(settings).staffLabel,
      };
    },
  );
  r.post(
    '/api/v1/support/:conversationId/handoff',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'Ask for a person', security, params, response: done },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await requireSupportAccess(messenger, actor, req.params.conversationId);
      await cc.requestHuman(actor.orgId, req.params.conversationId, actor.userId, 'handed_off');
      return reply.status(204).send(null);
    },
  );
  for (const action of ['take', 'resolve', 'reopen'] as const) {
    r.post(
      `/api/v1/support/:conversationId/${action}`,
      {
        config: { access: STAFF },
        schema: {
          tags,
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} the conversation`,
          security,
          params,
          response: done,
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await requireSupportAccess(messenger, actor, req.params.conversationId);
        await cc[action](actor, req.params.conversationId);
        return reply.status(204).send(null);
      },
    );
  }
  r.post(
    '/api/v1/support/:conversationId/transfer',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Hand the conversation to another agent',
        security,
        params,
        body: TransferSchema,
        response: done,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await requireSupportAccess(messenger, actor, req.params.conversationId);
      await cc.take(actor, req.params.conversationId, req.body.agentId);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/support/:conversationId/csat',
    {
      config: { access: ['customer'] },
      schema: { tags, summary: 'Rate the conversation 1–5', security, params, body: CsatSchema, response: done },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await requireSupportAccess(messenger, actor, req.params.conversationId);
      await cc.csat(actor, req.params.conversationId, req.body.score);
      return reply.status(204).send(null);
    },
  );
}
