import fs from 'node:fs';
import path from 'node:path';
import type { RouteCase } from '../../test/matrix.js';
import { WEB_DIST_DIR } from './web.http.js';

/** The widget's paths are public (a visitor has no token yet); the matrix' orgs are not the demo org. */
const built = (file: string) => fs.existsSync(path.join(WEB_DIST_DIR, file));
export const matrixCases: RouteCase[] = [
  { route: 'GET /widget.js', ok: built('widget.js') ? 200 : 404 },
  { route: 'GET /widget', request: () => ({ url: '/widget?key=wk_matrix' }), ok: built('widget.html') ? 200 : 404 },
  { route: 'GET /widget-demo', ok: 404 },
];
