import { type AnyRoute, fillPath, type RouteArg, type RouteOutput } from '@switchboard/protocol';
import type { Query, RestCall } from './rest.js';

/**
 * Call a route defined in `protocol` (`defineRoute`): method and path (its `:name` parameters filled in)
 * come from the definition the server registers, and the answer is parsed with its response schema.
 *
 * @example
 * ```ts
 * const label = await callRoute(call, agentToolRouteDefs.createLabel, { body: { name: 'billing' } });
 * ```
 */
export function callRoute<D extends AnyRoute>(
  call: RestCall,
  def: D,
  args: { params?: RouteArg<D, 'params'>; query?: RouteArg<D, 'query'>; body?: RouteArg<D, 'body'> } = {},
): Promise<RouteOutput<D>> {
  const path = fillPath(def.path, args.params as Record<string, unknown> | undefined);
  return call(def.method, path, def.response, {
    ...(args.body !== undefined ? { body: args.body } : {}),
    ...(args.query !== undefined ? { query: args.query as Query } : {}),
  }) as Promise<RouteOutput<D>>;
}
