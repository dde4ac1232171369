import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** The longest custom period the dashboard aggregates (one year), and the most points a time series returns. */
export const DASHBOARD_MAX_PERIOD_MS = 366 * 86_400_000;
export const DASHBOARD_MAX_POINTS = 2_000;

/** Preset periods ending now (`today` starts at 00:00 UTC), or `custom` with `from` / `to`. */
export const DashboardPeriodSchema = z.enum(['today', '7d', '30d', 'custom']);
export type DashboardPeriod = z.infer<typeof DashboardPeriodSchema>;

/** How the customer reached the contact center: the anonymous widget, or signed in (`web`). */
export const DashboardChannelSchema = z.enum(['widget', 'web']);
export type DashboardChannel = z.infer<typeof DashboardChannelSchema>;

/** Why a conversation passed from the AI to a person. */
export const EscalationReasonSchema = z.enum(['customer_request', 'approval_timeout', 'draft_rejected']);
export type EscalationReason = z.infer<typeof EscalationReasonSchema>;

const epochMs = z.coerce.number<number>().int().nonnegative();

const filterFields = z.object({
  period: DashboardPeriodSchema.default('7d'),
  /** Start (inclusive, epoch ms) of a `custom` period. */
  from: epochMs.optional(),
  /** End (exclusive, epoch ms) of a `custom` period. */
  to: epochMs.optional(),
  /** Only conversations this agent handled last (took, was assigned, or decided a draft in). */
  agentId: IdSchema.optional(),
  /** Only conversations whose first AI answer quoted an article with this topic. */
  topic: z.string().trim().min(1).max(60).optional(),
  channel: DashboardChannelSchema.optional(),
  /** `csv` answers `text/csv` instead of JSON. */
  format: z.enum(['json', 'csv']).default('json'),
});

function checkPeriod(
  f: { period: DashboardPeriod; from?: number | undefined; to?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (f.period !== 'custom') {
    if (f.from !== undefined || f.to !== undefined)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from / to only with period=custom' });
    return;
  }
  if (f.from === undefined || f.to === undefined) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'period=custom needs from and to' });
    return;
  }
  if (f.to <= f.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  else if (f.to - f.from > DASHBOARD_MAX_PERIOD_MS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'a period spans at most 366 days' });
}

/**
 * The filters every dashboard query takes (query string). Conversations count in the period they started
 * in; every KPI is about the conversations that match (a cohort), so numbers add up across filters.
 *
 * @example
 * ```ts
 * const f: DashboardFilter = { period: 'custom', from: 1767225600000, to: 1767830400000, channel: 'widget' };
 * ```
 */
export const DashboardFilterSchema = filterFields.superRefine(checkPeriod);
export type DashboardFilter = z.input<typeof DashboardFilterSchema>;
export type DashboardFilterParsed = z.output<typeof DashboardFilterSchema>;

/** A time range `[from, to)` in epoch ms. */
export const DashboardRangeSchema = z.object({ from: TimestampSchema, to: TimestampSchema });

/**
 * The KPIs of one period. Rates are fractions in [0, 1] and `null` when their denominator is 0; durations
 * are milliseconds and `null` when nothing was measured. Medians of an even count average the two middle
 * values; p90 is the nearest rank (`ceil(0.9 n)`-th smallest).
 */
export const DashboardKpisSchema = z.object({
  conversationsStarted: z.number().int(),
  /** Resolved with no person involved (no handoff, no decision on a draft) / started. */
  aiAutoResolutionRate: z.number().nullable(),
  /** AI answers sent at once / all AI drafts (sent at once or queued for approval). */
  aiAutoSendRate: z.number().nullable(),
  /** Of drafts a person decided: approved as is, edited, rejected. */
  approvalRate: z.number().nullable(),
  editRate: z.number().nullable(),
  rejectionRate: z.number().nullable(),
  /** From a draft entering the approval queue to a person's decision. */
  decisionMedianMs: z.number().nullable(),
  draftsDecided: z.number().int(),
  /** Conversations that passed from the AI to a person. */
  escalations: z.number().int(),
  /** From the customer's first message to the first answer (AI or person). */
  firstResponseMedianMs: z.number().nullable(),
  firstResponseP90Ms: z.number().nullable(),
  /** From asking for a person (or escalation) until a person has the conversation. */
  queueMedianMs: z.number().nullable(),
  /** From the first customer message to the first resolution. */
  resolutionMedianMs: z.number().nullable(),
  resolved: z.number().int(),
  csatAverage: z.number().nullable(),
  csatCount: z.number().int(),
  messagesPerConversation: z.number().nullable(),
});
export type DashboardKpis = z.infer<typeof DashboardKpisSchema>;

/** One agent's row: live presence and load, and what they handled in the period. */
export const DashboardAgentSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  online: z.boolean(),
  /** Conversations assigned to them and still with a person now. */
  load: z.number().int(),
  handled: z.number().int(),
  resolved: z.number().int(),
  csatAverage: z.number().nullable(),
});
export type DashboardAgent = z.infer<typeof DashboardAgentSchema>;

/**
 * `GET /api/v1/dashboard/summary`: the period's KPIs, the same for the period just before it (for the change),
 * escalations by reason, and the agents.
 *
 * @example
 * ```json
 * { "range": { "from": 1767225600000, "to": 1767830400000 }, "previousRange": { "from": …, "to": … },
 *   "kpis": { "conversationsStarted": 120, "aiAutoSendRate": 0.62, … }, "previous": { … },
 *   "escalationsByReason": [{ "reason": "customer_request", "count": 9 }],
 *   "activeAgents": 3, "agents": [{ "userId": "…", "name": "Ann", "online": true, "load": 2, … }] }
 * ```
 */
export const DashboardSummarySchema = z.object({
  range: DashboardRangeSchema,
  previousRange: DashboardRangeSchema,
  kpis: DashboardKpisSchema,
  previous: DashboardKpisSchema,
  escalationsByReason: z.array(z.object({ reason: EscalationReasonSchema, count: z.number().int() })),
  /** Agents online now. */
  activeAgents: z.number().int(),
  agents: z.array(DashboardAgentSchema),
});
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;

/** The metrics a time series can plot (each a KPI of the summary, per bucket). */
export const DashboardMetricSchema = z.enum([
  'conversationsStarted',
  'aiAutoResolutionRate',
  'aiAutoSendRate',
  'approvalRate',
  'escalations',
  'firstResponseMedianMs',
  'resolutionMedianMs',
  'csatAverage',
  'messagesPerConversation',
]);
export type DashboardMetric = z.infer<typeof DashboardMetricSchema>;

/** Bucket width: UTC hours, UTC days, or weeks of 7 days from the period's start. */
export const DashboardIntervalSchema = z.enum(['hour', 'day', 'week']);

/**
 * `GET /api/v1/dashboard/timeseries?metric=…&interval=…` plus the filters. At most 2,000 buckets.
 *
 * @example
 * ```ts
 * const q: DashboardTimeseriesQuery = { metric: 'escalations', interval: 'day', period: '30d' };
 * ```
 */
export const DashboardTimeseriesQuerySchema = filterFields
  .extend({ metric: DashboardMetricSchema, interval: DashboardIntervalSchema.default('day') })
  .superRefine(checkPeriod);
export type DashboardTimeseriesQuery = z.input<typeof DashboardTimeseriesQuerySchema>;

/** One bucket `[t, t + interval)`; `value` is null where the metric is undefined (e.g. no CSAT given). */
export const DashboardPointSchema = z.object({ t: TimestampSchema, value: z.number().nullable() });
export const DashboardTimeseriesSchema = z.object({
  metric: DashboardMetricSchema,
  interval: DashboardIntervalSchema,
  range: DashboardRangeSchema,
  points: z.array(DashboardPointSchema),
});
export type DashboardTimeseries = z.infer<typeof DashboardTimeseriesSchema>;

/**
 * `dashboard.updated`: pushed to the org's supervisors and admins when an event changed a KPI (at most about
 * once a second per org); an open dashboard refetches.
 *
 * @example
 * ```json
 * { "at": 1767225600000, "kinds": ["escalated"] }
 * ```
 */
export const DashboardUpdatedEventSchema = z.object({ at: TimestampSchema, kinds: z.array(z.string()) });
export type DashboardUpdatedEvent = z.infer<typeof DashboardUpdatedEventSchema>;
