import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's directory (the one holding its package.json), found from this file whether the code
 * runs from `src/` through tsx or from the compiled bundle in `dist/`: paths to files shipped beside the code
 * (the web build, seed data) are taken from here, never from a module's own location.
 */
export const SERVER_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === '@switchboard/server') {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('switchboard: cannot find the @switchboard/server package directory');
    dir = parent;
  }
})();
