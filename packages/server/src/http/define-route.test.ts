import {
  agentToolRouteDefs,
  approvalsRouteDefs,
  assistantRouteDefs,
  dashboardRouteDefs,
  knowledgeRouteDefs,
  type RouteDef,
  supportRouteDefs,
} from '@switchboard/protocol';
import { expect, it } from 'vitest';
import { describeApp } from '../test/auth.js';

// Each table on its own, so two tables using the same key cannot hide a route.
const routes = [
  agentToolRouteDefs,
  supportRouteDefs,
  assistantRouteDefs,
  approvalsRouteDefs,
  knowledgeRouteDefs,
  dashboardRouteDefs,
].flatMap((table) => Object.entries(table) as [string, RouteDef][]);
const openApiPath = (path: string) => path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, '{$1}');

describeApp('routes registered from their protocol definitions', (ctx) => {
  it('every defined route is served at its method and path, documented with its summary and statuses', async () => {
    const { app } = ctx();
    const doc = (await app.inject('/api/docs/json')).json() as {
      paths: Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>>;
    };
    for (const [name, def] of routes) {
      expect(app.hasRoute({ method: def.method, url: def.path }), name).toBe(true);
      const op = doc.paths[openApiPath(def.path)]?.[def.method.toLowerCase()];
      expect(op?.summary, name).toBe(def.summary);
      const statuses = Object.keys(op?.responses ?? {}).sort();
      const denied = def.access === 'public' ? [] : ['401', '403'];
      expect(statuses, name).toEqual(
        [...new Set([String(def.status), ...(def.errors ?? []).map(String), ...denied])].sort(),
      );
    }
  });

  it('answers 401 without a session on every defined route (each is behind one)', async () => {
    const { app } = ctx();
    for (const [name, def] of routes.filter(([, d]) => d.access !== 'public')) {
      const url = def.path.replace(/:([A-Za-z]+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await app.inject({ method: def.method, url, ...(def.body ? { payload: {} } : {}) });
      expect(res.statusCode, name).toBe(401);
    }
  });
});
