import { randomUUID } from 'node:crypto';
import type { MatrixContext } from '../../test/matrix.js';
import { approvalsRepo } from './approvals.repo.js';

/** A pending approval item in org A on `conversationId` (the role × route matrix needs one to decide). */
export async function pendingApprovalFixture(ctx: MatrixContext, conversationId: string): Promise<string> {
  const id = randomUUID();
  const now = ctx.platform.clock.now();
  await approvalsRepo(ctx.platform.database).insert({
    id,
    orgId: ctx.a.org.id,
    conversationId,
    questionMessageId: randomUUID(),
    question: 'matrix question',
    questionAt: now,
    draft: 'matrix draft',
    confidence: 0.2,
    reason: 'matrix',
    sources: '[]',
    state: 'pending',
    claimedBy: null,
    claimExpiresAt: null,
    decidedBy: null,
    decidedAt: null,
    finalText: null,
    rejectReason: null,
    createdAt: now,
    expiresAt: now + 120_000,
  });
  return id;
}
