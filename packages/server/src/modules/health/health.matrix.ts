import type { RouteCase } from '../../test/matrix.js';

export const matrixCases: RouteCase[] = [{ route: 'GET /healthz' }, { route: 'GET /readyz' }];
