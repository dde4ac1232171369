import { z } from 'zod';

export const HealthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });
export type Health = z.infer<typeof HealthSchema>;

export const ReadinessCheckSchema = z.object({
  ok: z.boolean(),
  detail: z.string().optional(),
});

/**
 * `GET /readyz`. `ready` (200): every check passes. `degraded` (200): the database is fine but Redis is
 * unreachable; the node still serves its own sockets and requests (cross-node fan-out and shared presence pause
 * until Redis returns), so a load balancer keeps it in rotation — with one shared Redis, taking nodes out would
 * turn a Redis outage into a full one. `not_ready` (503): the database is unreachable or behind on migrations.
 */
export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'degraded', 'not_ready']),
  checks: z.record(z.string(), ReadinessCheckSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;
