import { z } from 'zod';

export const HealthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });
export type Health = z.infer<typeof HealthSchema>;

export const ReadinessCheckSchema = z.object({
  ok: z.boolean(),
  detail: z.string().optional(),
});

/** `GET /readyz`: 200 when every check passes, 503 otherwise. */
export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), ReadinessCheckSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;
