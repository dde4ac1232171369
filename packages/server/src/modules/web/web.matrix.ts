import fs from 'node:fs';
import path from 'node:path';
import type { RouteCase } from '../../test/matrix.js';
import { WEB_DIST_DIR } from './web.http.js';

/** The app shell is public: every caller gets index.html for a client route (404 while the app is not built). */
const built = fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'));
export const matrixCases: RouteCase[] = [
  { route: 'GET /*', request: () => ({ url: '/messenger' }), ok: built ? 200 : 404 },
];
