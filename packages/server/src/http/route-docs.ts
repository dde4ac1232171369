import { ProblemSchema } from '@switchboard/protocol';

/** OpenAPI security requirement of every route behind a session: a bearer access token. */
export const security = [{ bearer: [] }];

/** The refusals every authenticated route documents: 401 (no or bad token) and 403 (role not allowed). */
export const denied = { 401: ProblemSchema, 403: ProblemSchema };
