import { expect } from 'vitest';
import { memoryOutboxStore, type OutboxStore } from '../outbox-store.js';
import { ours, type TestClient, until, type World } from './world.js';

export interface ScenarioResult {
  sender: TestClient;
  receivers: TestClient[];
  elapsedMs: number;
}

/**
 * 1,000 sends (by default) from the conversation's admin while `chaos` runs; then the network is healed and
 * every member must hold every message exactly once, in send order, with nothing left `sending`.
 */
export async function runScenario(
  world: World,
  opts: {
    n?: number;
    prefix: string;
    /** Runs while the outbox drains; must return once `draining()` is false (or earlier). */
    chaos(ctx: { draining: () => boolean; sender: () => TestClient; receivers: TestClient[] }): Promise<void>;
    /** Called after the chaos, before checking: undo the faults. */
    heal?: () => void | Promise<void>;
    /** Close the sender after this many acknowledged sends and open a new client on the same outbox store. */
    reloadAfter?: number;
    store?: OutboxStore;
  },
): Promise<ScenarioResult> {
  const n = opts.n ?? 1000;
  const store = opts.store ?? memoryOutboxStore();
  const [admin, agent, supervisor] = world.members as [
    (typeof world.members)[0],
    (typeof world.members)[0],
    (typeof world.members)[0],
  ];
  let sender = await world.client(admin, { outboxStore: store });
  const receivers = [await world.client(agent), await world.client(supervisor)];
  await Promise.all([sender, ...receivers].map((c) => c.client.ready));
  const started = Date.now();
  const cid = world.conversationId;
  const texts = Array.from({ length: n }, (_, i) => `${opts.prefix}-${String(i).padStart(4, '0')}`);
  for (const text of texts) sender.client.send(cid, text);

  const sentCount = () => ours(sender, cid, opts.prefix).filter((m) => m.state === 'sent' || m.state === 'read').length;
  const draining = () => sender.client.pending(cid).length > 0;
  const reload = (async () => {
    if (opts.reloadAfter === undefined) return;
    await until('sends before the reload', () => sentCount() >= (opts.reloadAfter ?? 0), 150_000);
    // A page reload: the old client vanishes mid-flight, a new one starts from the persisted outbox.
    sender.client.close();
    sender = await world.client(admin, { outboxStore: store });
  })();
  await opts.chaos({ draining, sender: () => sender, receivers });
  await reload;
  await opts.heal?.();
  await until('the outbox to drain', () => sender.client.pending(cid).length === 0, 150_000, 100);
  const everyone = [sender, ...receivers];
  await until(
    'every member to hold every message',
    () => everyone.every((c) => ours(c, cid, opts.prefix).filter((m) => m.id !== null).length >= n),
    30_000,
    100,
  );
  const elapsedMs = Date.now() - started;

  // The server stored each message once, in send order.
  const stored = (await world.serverMessages()).filter((m) => m.text?.startsWith(opts.prefix));
  expect(stored.map((m) => m.text)).toEqual(texts);
  for (const c of everyone) {
    const mine = ours(c, cid, opts.prefix);
    expect(
      mine.map((m) => m.text),
      c.user.email,
    ).toEqual(texts);
    expect(mine.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect(mine.every((m, i) => i === 0 || (m.seq ?? 0) > (mine[i - 1]?.seq ?? 0))).toBe(true);
    expect(mine.filter((m) => m.state === 'sending' || m.state === 'failed')).toEqual([]);
    // Exactly once as the user sees it: one `added` notification per message, however it arrived.
    const dupes = mine.filter((m) => c.added.get(m.clientMsgId) !== 1);
    expect(dupes.map((m) => [m.text, c.added.get(m.clientMsgId)])).toEqual([]);
  }
  return { sender, receivers, elapsedMs };
}
