// How the profile tools (long-turns.mjs, heap-sample.mjs) name a V8 call frame: function, then file and line with
// the path shortened to what follows node_modules/, src/ or dist/. Plain JavaScript.

/** `name path:line` for a CPU or sampling-heap profile node's callFrame (no path for native frames). */
export function frameLabel(f) {
  const where = f.url ? ` ${f.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where}`;
}
