import { describe } from 'vitest';
import { rateLimiterConformance } from './rate-limit.conformance.js';
import { memoryRateLimiter } from './rate-limit.js';

describe('memory rate limiter (sliding window)', () => {
  rateLimiterConformance(async (clock) => memoryRateLimiter(clock));
});
