import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { DEMO_PASSWORD, seedDemoIfEmpty } from './seed/demo.js';
import { seedDemoContent } from './seed/demo-content.js';

/**
 * How many connections the kernel may hold for us while the event loop is busy (Node's default is 511). When
 * every client of a node reconnects at once (a restart, a network blip), a short accept queue overflows, and
 * each dropped handshake waits for the client's TCP retransmit (1 s, 3 s, 7 s, …): a storm of 5,000 clients took
 * 18–67 s instead of 13–20 s (docs/performance.md). Linux caps this at `net.core.somaxconn` (4,096 on current
 * kernels), so that sysctl is the operator's knob (docs/operations.md).
 */
const LISTEN_BACKLOG = 65_535;

/**
 * Run the service: open storage, seed the demo org on a fresh embedded install, listen, and shut down
 * gracefully on SIGTERM / SIGINT (stop accepting, finish in-flight requests, close sockets and the database)
 * within `SHUTDOWN_TIMEOUT_MS`.
 */
export async function start(config: Config): Promise<FastifyInstance> {
  // The app creates and owns the platform, so it closes it last: after the modules' own close hooks (presence
  // writes its pending lastSeen values then), never before them.
  const app = await buildApp(config);
  const { platform } = app;

  const seeded = config.demoSeed ? await seedDemoIfEmpty(platform) : undefined;
  if (seeded?.created) await seedDemoContent(app);
  await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  app.log.info({ url: config.publicUrl, database: platform.database.location }, 'Switchboard is ready');
  if (seeded) {
    const lines = seeded.logins.map((l) => `  ${l.role.padEnd(10)} ${l.email}`).join('\n');
    app.log.info(
      `Demo org "${seeded.org}" created. Log in at ${config.publicUrl} with password "${DEMO_PASSWORD}":\n${lines}`,
    );
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return app;
}
