import { RoleSchema } from '@switchboard/protocol';
import { Command, InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from './config.js';
import { start } from './main.js';
import { aiEvalCommand } from './modules/assistant/eval.cli.js';
import { readMarkdownFolder } from './modules/knowledge/import-dir.js';
import { knowledgeService } from './modules/knowledge/knowledge.service.js';
import { orgsService } from './modules/orgs/orgs.service.js';
import { usersService } from './modules/users/users.service.js';
import { backup } from './ops/backup.js';
import { restoreAndVerify } from './ops/restore.js';
import { migrateToLatest } from './platform/db/migrations.js';
import { createPlatform, openConfiguredDatabase, type Platform, sqliteFile } from './platform/platform.js';
import { seedDemo } from './seed/demo.js';
import { VERSION } from './version.js';

/** One line to stderr and a non-zero exit: what a bad config, an unreachable database or bad input gets. */
function fail(message: string): never {
  process.stderr.write(`switchboard: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    fail(`invalid configuration: ${(err as Error).message}`);
  }
}

async function withPlatform(fn: (p: Platform) => Promise<void>): Promise<void> {
  const platform = await createPlatform(config());
  try {
    await fn(platform);
  } finally {
    await platform.close();
  }
}

function role(value: string) {
  const parsed = RoleSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`one of ${RoleSchema.options.join(', ')}`);
  return parsed.data;
}

const program = new Command('switchboard').version(VERSION).description('Switchboard: run and administer the service.');

program
  .command('start')
  .description('run the service (HTTP API, Socket.IO and web app on PORT)')
  .action(async () => {
    await start(config());
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const database = await openConfiguredDatabase(config());
    try {
      const applied = await migrateToLatest(database);
      process.stdout.write(
        applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'database is up to date\n',
      );
    } finally {
      await database.close();
    }
  });

const org = program.command('org').description('manage organizations');
org
  .command('create')
  .description('create an organization')
  .requiredOption('--slug <slug>', 'short identifier, e.g. acme')
  .requiredOption('--name <name>', 'display name')
  .action((opts: { slug: string; name: string }) =>
    withPlatform(async (p) => {
      const created = await orgsService(p).create(opts);
      process.stdout.write(`created org ${created.slug} (${created.id})\n`);
    }),
  );

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user in an organization')
  .requiredOption('--org <slug>', 'organization slug')
  .requiredOption('--email <email>', 'login email')
  .requiredOption('--password <password>', 'at least 10 characters')
  .requiredOption('--role <role>', 'customer, agent, supervisor or admin', role)
  .option('--name <name>', 'display name')
  .action((opts: { org: string; email: string; password: string; role: ReturnType<typeof role>; name?: string }) =>
    withPlatform(async (p) => {
      const o = await orgsService(p).getBySlug(opts.org);
      const created = await usersService(p).create(o.id, {
        email: opts.email,
        password: opts.password,
        role: opts.role,
        displayName: opts.name,
      });
      process.stdout.write(`created ${created.role} ${created.email} in ${o.slug} (${created.id})\n`);
    }),
  );

program
  .command('seed')
  .description('load sample data')
  .argument('<what>', 'what to seed: demo')
  .action((what: string) => {
    if (what !== 'demo') fail(`unknown seed "${what}" (known: demo)`);
    return withPlatform(async (p) => {
      const r = await seedDemo(p);
      process.stdout.write(
        `${r.created ? 'created' : 'already present:'} org ${r.org}; logins: ${r.logins.map((l) => l.email).join(', ')}\n`,
      );
    });
  });

const kb = program.command('kb').description('knowledge base');
kb.command('import')
  .description('import a folder of markdown files as articles (re-importing updates them)')
  .argument('<dir>', 'folder of .md files (front matter title/topics, or a first # heading)')
  .requiredOption('--org <slug>', 'organization slug')
  .action((dir: string, opts: { org: string }) =>
    withPlatform(async (p) => {
      const o = await orgsService(p).getBySlug(opts.org);
      const articles = await readMarkdownFolder(dir);
      if (!articles.length) fail(`no markdown files in ${dir}`);
      const r = await knowledgeService(p).import(o.id, null, { articles });
      process.stdout.write(
        `imported ${articles.length} article(s) into ${o.slug}: ${r.created} created, ${r.updated} updated\n`,
      );
    }),
  );

program
  .command('ai')
  .description('the AI assistant')
  .command('eval')
  .description('retrieval hit@1/hit@3 and, per threshold, share auto-sent and its precision')
  .argument('<file>', 'JSON list of {question, expected: [article id]} (expected: [] = out of scope)')
  .option('--kb <file>', 'JSON list of {id, title, body, topics}, or "demo" (default: kb.json beside FILE)')
  .option('--out-of-scope <file>', 'more questions the KB cannot answer (expected: []), appended to FILE')
  .option('--fit', 'fit the confidence weights on folds 1-4 of the articles and report on the held-out fold')
  .option('--learn', 'index even-indexed questions as learned phrasings (approved drafts) and report on the odd ones')
  .option('--hybrid', 'lexical + vector retrieval with the configured embedding model (AI_EMBEDDING_MODEL)')
  .action(async (file: string, opts: Parameters<typeof aiEvalCommand>[1]) => {
    process.stdout.write(await aiEvalCommand(file, opts, opts.hybrid ? config().ai : undefined));
  });

program
  .command('backup')
  .description('write a consistent online backup (database + files) to FILE, a .tar.gz')
  .argument('<file>', 'where to write the archive')
  .action(async (file: string) => {
    const cfg = config();
    const database = await openConfiguredDatabase(cfg);
    try {
      const m = await backup(database, cfg.dataDir, file);
      const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `backed up ${m.dialect}: ${Object.keys(m.tables).length} tables, ${rows} rows, ${m.files.length} files -> ${file}\n`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command('restore')
  .description('restore FILE into the configured, empty database and DATA_DIR, then verify it')
  .argument('<file>', 'an archive written by `switchboard backup`')
  .action(async (file: string) => {
    const cfg = config();
    const target = cfg.databaseUrl
      ? ({ kind: 'postgres', url: cfg.databaseUrl, poolMax: 2 } as const)
      : ({ kind: 'sqlite', file: sqliteFile(cfg) } as const);
    const { manifest, report } = await restoreAndVerify(file, target, cfg.dataDir);
    if (!report.ok) fail(`restored, but the integrity check failed: ${report.problems.join('; ')}`);
    const rows = Object.values(report.tables).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `restored backup of ${manifest.createdAt}: ${Object.keys(report.tables).length} tables, ${rows} rows, ${manifest.files.length} files; integrity check passed\n`,
    );
  });

program.parseAsync().catch((err: Error) => {
  const zodIssues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (zodIssues) fail(zodIssues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  fail(err.message);
});
