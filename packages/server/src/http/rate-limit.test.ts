import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { testConfig } from '../test/config.js';

describe('REST rate limit', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig({ RATE_LIMIT_PER_MINUTE: '5' }));
  });
  afterAll(() => app.close());

  it('answers the request past the budget with 429 problem+json and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.inject('/api/docs/json')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await app.inject('/api/docs/json');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address has its own budget.
    expect((await app.inject({ url: '/api/docs/json', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
  });

  it('never throttles health probes', async () => {
    for (let i = 0; i < 10; i++) expect((await app.inject('/healthz')).statusCode).toBe(200);
  });
});
