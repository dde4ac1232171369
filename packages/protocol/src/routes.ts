import type { z } from 'zod';
import type { Role } from './common.js';

/** HTTP methods the API uses. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, any signed-in user, or these roles (the server's access hook enforces it). */
export type RouteAccess = 'public' | 'authenticated' | readonly Role[];

/**
 * Error statuses a route documents besides 401 and 403 (every non-public route has those; a public route
 * lists them here when it answers them).
 */
export type RouteError = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 501 | 502 | 503;

/**
 * One REST endpoint, defined once: the server registers it from this (path, access, validation, OpenAPI
 * docs) and the SDK builds its call from it (method, path with its parameters filled in, query, body, the
 * response parsed with `response`), so the two cannot drift apart. `path` uses `:name` parameters, each a
 * key of `params`. `response: null` means no body (status 204).
 *
 * @example
 * ```ts
 * export const deleteLabelRoute = defineRoute({
 *   method: 'DELETE',
 *   path: '/api/v1/labels/:id',
 *   summary: 'Delete a label',
 *   tags: ['contact center'],
 *   access: SUPERVISOR_ROLES,
 *   params: LabelIdParamsSchema,
 *   status: 204,
 *   response: null,
 *   errors: [404],
 * });
 * ```
 */
export interface RouteDef<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | null = z.ZodType | null,
> {
  method: RouteMethod;
  path: string;
  summary: string;
  /** Longer OpenAPI text: limits, throttles, what an error means here. */
  description?: string;
  tags: readonly string[];
  access: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status. */
  status: 200 | 201 | 202 | 204;
  /**
   * A second success status with the same body, which the handler picks per call: 200 for the repeat of a
   * create that answered 201 (an idempotent retry, an existing direct conversation).
   */
  repeatStatus?: 200;
  /** The success body's schema; null for none. */
  response: R;
  errors?: readonly RouteError[];
}

/** A route definition, its schema types kept for the server's handler and the SDK's call. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | null = null,
>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}

/** Any route definition. */
// biome-ignore lint/suspicious/noExplicitAny: the widest route, for `D extends AnyRoute` constraints
export type AnyRoute = RouteDef<any, any, any, any>;
type Slot = 'params' | 'query' | 'body';
/** What a route's params, query or body carry once parsed (never when the route has none). */
export type RouteInput<D extends AnyRoute, K extends Slot> =
  NonNullable<D[K]> extends z.ZodType ? z.output<NonNullable<D[K]>> : never;
/** What a caller passes for a route's params, query or body (before defaults and coercion). */
export type RouteArg<D extends AnyRoute, K extends Slot> =
  NonNullable<D[K]> extends z.ZodType ? z.input<NonNullable<D[K]>> : never;
/** What the route answers on success: parsed (`RouteOutput`) or as a handler returns it (`RouteReply`). */
export type RouteOutput<D extends AnyRoute> = D['response'] extends z.ZodType ? z.output<D['response']> : undefined;
export type RouteReply<D extends AnyRoute> = D['response'] extends z.ZodType ? z.input<D['response']> : undefined;

/** `path` with its `:name` parameters filled in from `params` (URL-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
