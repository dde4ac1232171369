import { describe } from 'vitest';
import { eventBudgetConformance } from './token-bucket.conformance.js';
import { tokenBuckets } from './token-bucket.js';

describe('tokenBuckets (in process)', () => {
  eventBudgetConformance(async (rule, now) => tokenBuckets(rule, now));
});
