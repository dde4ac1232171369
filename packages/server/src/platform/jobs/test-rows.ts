import type { JobsTable } from './jobs.tables.js';

/** A queued task row for tests that write the jobs table directly; `patch` overrides any column. */
export const jobRow = (type: string, id: string, patch: Partial<JobsTable> = {}): JobsTable => ({
  id,
  type,
  orgId: null,
  ownerId: null,
  idempotencyKey: null,
  dedupeKey: null,
  state: 'queued',
  priority: 0,
  payload: '{}',
  progressPercent: 0,
  progressMessage: null,
  result: null,
  error: null,
  attempts: 0,
  maxAttempts: 3,
  timeoutMs: 1000,
  runAt: 100,
  leaseOwner: null,
  leaseExpiresAt: null,
  createdAt: 100,
  updatedAt: 100,
  startedAt: null,
  finishedAt: null,
  ...patch,
});
