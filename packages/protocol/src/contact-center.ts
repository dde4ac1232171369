import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * One translation of an article: the same help in another language. The assistant indexes it beside the
 * original, so a question asked in that language finds it and the built-in answer quotes it.
 *
 * @example
 * ```json
 * { "lang": "de", "title": "Wie setze ich mein Passwort zurück?", "body": "Öffne **Anmelden** → *Passwort vergessen*…" }
 * ```
 */
export const ArticleTranslationSchema = z.object({
  /** A BCP 47 language tag: `de`, `pt-BR`. */
  lang: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language tag such as de or pt-BR'),
  title: z.string().trim().min(1).max(300),
  body: z.string().min(1).max(100_000),
});
export type ArticleTranslation = z.infer<typeof ArticleTranslationSchema>;

const TranslationsSchema = z
  .array(ArticleTranslationSchema)
  .max(30)
  .refine(
    (list) => new Set(list.map((t) => t.lang.toLowerCase())).size === list.length,
    'one translation per language',
  );

/**
 * A knowledge-base article: markdown body, topic tags; only published ones are used by the assistant.
 *
 * @example
 * ```json
 * { "id": "…", "title": "How do I reset my password?", "body": "Open **Sign in** → *Forgot password*…",
 *   "topics": ["account"], "published": true, "phrasings": ["I forgot my password"],
 *   "createdAt": 1767225600000, "updatedAt": 1767225600000 }
 * ```
 */
export const ArticleSchema = z.object({
  id: IdSchema,
  title: z.string(),
  body: z.string(),
  topics: z.array(z.string()),
  published: z.boolean(),
  /** Customer questions this article answered, learned from approved drafts (editable, to curate). */
  phrasings: z.array(z.string()),
  /** The article in other languages (the title and body above are its own language). */
  translations: z.array(ArticleTranslationSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Article = z.infer<typeof ArticleSchema>;

/** Create an article. `published` defaults to true. */
export const CreateArticleSchema = z.object({
  title: z.string().trim().min(1).max(300),
  body: z.string().min(1).max(100_000),
  topics: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  published: z.boolean().default(true),
  translations: TranslationsSchema.default([]),
});
export type CreateArticle = z.input<typeof CreateArticleSchema>;

/** Change some fields of an article (incl. removing learned phrasings). */
export const UpdateArticleSchema = CreateArticleSchema.partial().extend({
  translations: TranslationsSchema.optional(),
  phrasings: z.array(z.string().trim().min(1).max(500)).max(200).optional(),
});
export type UpdateArticle = z.input<typeof UpdateArticleSchema>;

/** Bulk import: a JSON list of articles; an `externalId` makes re-importing update instead of duplicate. */
export const ImportArticlesSchema = z.object({
  articles: z
    .array(CreateArticleSchema.extend({ externalId: z.string().min(1).max(200).optional() }))
    .min(1)
    .max(5000),
});
export type ImportArticles = z.input<typeof ImportArticlesSchema>;
export const ImportResultSchema = z.object({ created: z.number().int(), updated: z.number().int() });

export const ArticleListSchema = z.object({ items: z.array(ArticleSchema) });
export const ArticleIdParamsSchema = z.object({ id: IdSchema });

/** A retrieved passage with its score. */
export const KbSearchHitSchema = z.object({
  articleId: IdSchema,
  title: z.string(),
  score: z.number(),
  passage: z.string(),
});
/** Try the knowledge base as the assistant sees it: hits plus the draft and its confidence. */
export const KbSearchResultSchema = z.object({
  hits: z.array(KbSearchHitSchema),
  draft: z.string(),
  confidence: z.number().min(0).max(1),
  reason: z.string(),
});
export const KbSearchQuerySchema = z.object({ q: z.string().min(1).max(2000) });

/** Contact-center status of a support conversation. */
export const SupportStatusSchema = z.enum([
  'ai_active',
  'pending_approval',
  'human_requested',
  'human_active',
  'resolved',
]);
export type SupportStatus = z.infer<typeof SupportStatusSchema>;

/** The org's assistant settings (admins change them). */
export const AiSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Drafts at or above this confidence are sent at once. */
  threshold: z.number().min(0).max(1),
  /** An approval item with no decision after this long escalates to a person. */
  approvalTimeoutMs: z.number().int().min(5_000).max(86_400_000),
  /** How many conversations one agent is assigned at most. */
  agentCapacity: z.number().int().min(1).max(100),
  /** How the widget names a person's answers: `agent` (their own name) or `team` ("Support team"). */
  staffLabel: z.enum(['agent', 'team']),
});
export type AiSettings = z.infer<typeof AiSettingsSchema>;
export const UpdateAiSettingsSchema = AiSettingsSchema.partial();

/** `superseded`: a person took the conversation before anyone decided (the draft is moot). */
export const ApprovalStateSchema = z.enum(['pending', 'approved', 'edited', 'rejected', 'escalated', 'superseded']);

/**
 * An AI draft waiting for a person. Only staff ever see it; the customer sees only the conversation's
 * `pending_approval` status.
 */
export const ApprovalSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  questionMessageId: IdSchema,
  question: z.string(),
  /** The proposed answer; empty when `noAnswer`. */
  draft: z.string(),
  /**
   * The confidence was under the floor: no answer is proposed (approve is refused with `conflict`), and
   * `sources` are the top articles as suggestions for the agent's own answer.
   */
  noAnswer: z.boolean(),
  confidence: z.number(),
  reason: z.string(),
  sources: z.array(z.object({ articleId: z.string(), title: z.string(), passage: z.string() })),
  state: ApprovalStateSchema,
  claimedBy: IdSchema.nullable(),
  claimExpiresAt: TimestampSchema.nullable(),
  decidedBy: IdSchema.nullable(),
  finalText: z.string().nullable(),
  rejectReason: z.string().nullable(),
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema,
});
export type Approval = z.infer<typeof ApprovalSchema>;

/**
 * The org's own routing table, from its past decisions on drafts: at each threshold, how many of the
 * decided drafts would have been sent without review (`share`) and how many of those the agent approved
 * as is (`precision`). Only drafts below the threshold of the day reach agents, so rows above it rest on
 * few decisions: `count` says how many.
 *
 * @example
 * ```json
 * { "decided": 120, "rows": [{ "threshold": 0.5, "share": 0.4, "precision": 0.92, "count": 48 }] }
 * ```
 */
export const DecisionThresholdsSchema = z.object({
  /** Drafts decided (approved, edited or rejected). */
  decided: z.number().int(),
  rows: z.array(z.object({ threshold: z.number(), share: z.number(), precision: z.number(), count: z.number().int() })),
});
export type DecisionThresholds = z.infer<typeof DecisionThresholdsSchema>;

/**
 * Drafts agents changed before sending, newest first: each one a possible improvement to the article the
 * draft quoted, for an admin to review (nothing is applied to the knowledge base by itself).
 *
 * @example
 * ```json
 * { "items": [{ "approvalId": "…", "question": "Can I pay by invoice?", "draft": "…", "finalText": "Yes, …",
 *   "articleId": "…", "articleTitle": "Payment methods", "decidedAt": 1767225600000 }] }
 * ```
 */
export const DraftEditListSchema = z.object({
  items: z.array(
    z.object({
      approvalId: IdSchema,
      question: z.string(),
      draft: z.string(),
      finalText: z.string(),
      /** The article the draft quoted (null when it cited none). */
      articleId: z.string().nullable(),
      articleTitle: z.string().nullable(),
      decidedAt: TimestampSchema,
    }),
  ),
});
export type DraftEditList = z.infer<typeof DraftEditListSchema>;
export const ApprovalListSchema = z.object({ items: z.array(ApprovalSchema) });
export const ApprovalIdParamsSchema = z.object({ id: IdSchema });

/**
 * An agent's decision on a draft.
 *
 * @example
 * ```ts
 * const d: ApprovalDecision = { action: 'edit', text: 'Open Settings → Password.' };
 * ```
 */
export const ApprovalDecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('edit'), text: z.string().trim().min(1).max(10_000) }),
  z.object({ action: z.literal('reject'), reason: z.string().trim().min(1).max(1000) }),
]);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/** `conversation.status`: pushed to the customer and staff when a support conversation's status changes. */
export const ConversationStatusEventSchema = z.object({
  conversationId: IdSchema,
  status: SupportStatusSchema,
  /** Place in the queue of conversations waiting for a person (1 = next), when `human_requested`. */
  queuePosition: z.number().int().positive().optional(),
  assignedTo: IdSchema.nullable().optional(),
  /** A line the customer can be shown, e.g. "An agent is reviewing your answer". */
  notice: z.string().optional(),
});
export type ConversationStatusEvent = z.infer<typeof ConversationStatusEventSchema>;

export const HandoffParamsSchema = z.object({ conversationId: IdSchema });
export const TransferSchema = z.object({ agentId: IdSchema });
export const CsatSchema = z.object({ score: z.number().int().min(1).max(5) });
export const SupportStateSchema = z.object({
  conversationId: IdSchema,
  status: SupportStatusSchema,
  assignedTo: IdSchema.nullable(),
  queuePosition: z.number().int().positive().nullable(),
  /** The org's AI user (its answers are "AI assistant"). */
  aiUserId: IdSchema,
  /** `team`: the widget names every person's answer "Support team" instead of the person. */
  staffLabel: z.enum(['agent', 'team']),
});

/** Outcome kinds stored for the dashboard. */
export const AiOutcomeKindSchema = z.enum([
  'auto_sent',
  'approved',
  'edited',
  'rejected',
  'escalated',
  'handed_off',
  'resolved',
  'csat',
]);

/**
 * The assistant's outcome events for the dashboard, oldest first. `kind` is one of `AiOutcomeKindSchema`'s
 * values (kept a string so an older row never fails the answer); `data` is the event's own detail.
 *
 * @example
 * ```json
 * { "items": [{ "conversationId": "…", "kind": "auto_sent", "confidence": 0.91, "latencyMs": 840, "data": null, "createdAt": 1767225600000 }] }
 * ```
 */
export const AiOutcomeListSchema = z.object({
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
});

/**
 * What the LLM responder asks an OpenAI-compatible model to return (structured output). Its confidence is
 * combined with the retrieval evidence on the server, never used alone. The verdict (confidence, needs_human,
 * cited_ids) comes before the answer: a model writes the fields in this order, so the server knows whether
 * the answer may go to the customer before its first word arrives, and can stream it (`support.answer_stream`).
 *
 * @example
 * ```json
 * { "confidence": 0.9, "needs_human": false, "cited_ids": ["…"], "answer": "Open Settings → Change password." }
 * ```
 */
export const LlmAnswerSchema = z.object({
  confidence: z.number().min(0).max(1),
  needs_human: z.boolean(),
  cited_ids: z.array(z.string()),
  answer: z.string(),
});
export type LlmAnswer = z.infer<typeof LlmAnswerSchema>;

/**
 * The question set `switchboard ai eval` reads: each question with the id(s) of the article(s) that answer it.
 * `expected: []` marks an out-of-scope question (the knowledge base has no answer): the right behaviour is
 * not to auto-send anything.
 *
 * @example
 * ```json
 * [
 *   { "question": "I forgot my password", "expected": ["help-reset-password"] },
 *   { "question": "What is the capital of Peru?", "expected": [] }
 * ]
 * ```
 */
export const EvalQuestionsSchema = z.array(z.object({ question: z.string(), expected: z.array(z.string()) }));
export type EvalQuestion = z.infer<typeof EvalQuestionsSchema>[number];

/** The knowledge base `switchboard ai eval --kb FILE` reads (StackFAQ's `kb.json` shape). */
export const EvalKbSchema = z.array(
  z.object({ id: z.string(), title: z.string(), body: z.string(), topics: z.array(z.string()).default([]) }),
);

/**
 * `support.answer_stream` (to the conversation's members): an AI answer being written, for the customer to
 * watch. Only an answer that will be sent is streamed: the model's verdict comes first, and an answer under
 * the org's threshold is never shown. `text` is the whole answer so far (not a delta), so a lost event costs
 * nothing. The stored message (`message.new`, `replyTo` the question) replaces the preview; `state:
 * 'discarded'` says the answer will not come after all (the model failed mid-way) and the preview goes.
 *
 * @example
 * ```ts
 * socket.on('support.answer_stream', (e) => e.state === 'writing' ? showPreview(e.replyTo, e.text) : hidePreview(e.replyTo));
 * ```
 */
export const AnswerStreamEventSchema = z.object({
  conversationId: IdSchema,
  /** The customer message being answered. */
  replyTo: IdSchema,
  state: z.enum(['writing', 'discarded']),
  text: z.string(),
});
export type AnswerStreamEvent = z.infer<typeof AnswerStreamEventSchema>;
