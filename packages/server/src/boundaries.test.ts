import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of docs/architecture.md, checked on the import graph of the server's source (test files and
 * their fixtures aside): a broken rule fails CI with the offending imports named.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sourceFiles(path);
    return /\.ts$/.test(e.name) && !/\.(test|bench)\.ts$/.test(e.name) ? [path] : [];
  });
}

/** Every import and re-export of a file, with the module it names (ours resolved to a path under src/). */
function importsOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    const to = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : spec;
    edges.push({ from: relative(SRC, file), to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
      const typeOnly = !!clause?.isTypeOnly || (!!named && !clause?.name && named.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const edges = sourceFiles(SRC).flatMap(importsOf);
const moduleOf = (path: string) => /^modules\/([^/]+)\//.exec(path)?.[1];
const show = (list: Edge[]) => list.map((e) => `${e.from} -> ${e.to}`);

/** Strongly connected groups of more than one file (Tarjan), i.e. import circles. */
function circles(list: Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of list) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w) {
        onStack.delete(w);
        group.push(w);
      }
    } while (w && w !== v);
    if (group.length > 1) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

describe('layer boundaries of the server', () => {
  it('sees the whole source tree', () => {
    expect(edges.filter((e) => e.from === 'app.ts').map((e) => e.to)).toContain('services.ts');
  });

  it('no module imports another module’s repository (call its service or hear its events)', () => {
    const bad = edges.filter((e) => {
      const owner = moduleOf(e.to);
      return /\.repo\.ts$/.test(e.to) && owner !== undefined && owner !== moduleOf(e.from);
    });
    expect(show(bad)).toEqual([]);
  });

  it('services import no transport (fastify, socket.io)', () => {
    const bad = edges.filter(
      (e) => /\.service\.ts$/.test(e.from) && /^(fastify|socket\.io|@fastify\/)/.test(e.to) && !e.typeOnly,
    );
    expect(show(bad)).toEqual([]);
  });

  // The contact center and the approval queue publish through SupportNotifier (support-notifier.ts, the one
  // file that knows Socket.IO); not even a type of the server may leak back into them.
  it('the support services take a notifier, not the Socket.IO server (not even its types)', () => {
    const services = /^modules\/(assistant\/contact-center|approvals\/approvals\.service)\.ts$/;
    const bad = edges.filter((e) => services.test(e.from) && (/^socket\.io/.test(e.to) || /^socket\//.test(e.to)));
    expect(show(bad)).toEqual([]);
  });

  it('services and repositories import nothing from the transports (http/, socket/)', () => {
    const bad = edges.filter((e) => /\.(service|repo)\.ts$/.test(e.from) && /^(http|socket)\//.test(e.to));
    expect(show(bad)).toEqual([]);
  });

  it('the platform imports no module', () => {
    const bad = edges.filter((e) => e.from.startsWith('platform/') && e.to.startsWith('modules/'));
    expect(show(bad)).toEqual([]);
  });

  it('transports do not import each other (http/ and socket/ share code through errors.ts and access/)', () => {
    const bad = edges.filter(
      (e) =>
        (e.from.startsWith('socket/') && e.to.startsWith('http/')) ||
        (e.from.startsWith('http/') && e.to.startsWith('socket/')),
    );
    expect(show(bad)).toEqual([]);
  });

  it('has no import circles (type imports included, but for two shared roots)', () => {
    // Two type-only imports of an aggregate are allowed: the database's `DB` type (schema.ts, assembled from
    // every module's tables) and the parsed environment `Env` that config.ts's parts read.
    const sharedRoot = (e: Edge) =>
      e.typeOnly && (e.to === 'schema.ts' || (e.to === 'config.ts' && /^config-[a-z]+\.ts$/.test(e.from)));
    expect(circles(edges.filter((e) => !sharedRoot(e)))).toEqual([]);
  });
});
