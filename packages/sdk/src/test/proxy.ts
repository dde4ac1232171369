import net from 'node:net';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Data in both directions is swallowed (a path that went dark without closing). */
  frozen: boolean;
  /** Server → client chunks held back by latency, in order. */
  queue: { at: number; chunk: Buffer }[];
  pumping: boolean;
}

/**
 * A TCP proxy the tests control, between SDK clients and the server: drop every connection, add latency to
 * what the server sends (acks arrive after the client's timeout), black-hole WebSocket upgrades (only plain
 * HTTP gets through), freeze live connections, and point at a new upstream after a server restart.
 *
 * @example
 * ```ts
 * const proxy = await FaultProxy.start(serverPort);
 * createClient({ url: proxy.url, auth });
 * proxy.dropAll();
 * ```
 */
export class FaultProxy {
  private readonly pairs = new Set<Pair>();
  private readonly server: net.Server;
  /** Hold new WebSocket upgrade requests open without answering. */
  blockWebSocket = false;
  /** Added to every server → client chunk. */
  latencyMs = 0;
  /** Connections accepted so far (all kinds). */
  accepted = 0;
  /** WebSocket upgrade requests black-holed so far. */
  blackholed = 0;

  private constructor(private upstreamPort: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(upstreamPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(upstreamPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Send new connections to another port (the restarted server). */
  setUpstream(port: number): void {
    this.upstreamPort = port;
  }

  /** Cut every connection at once, mid-whatever. */
  dropAll(): void {
    for (const p of this.pairs) this.kill(p);
  }

  /** Make every current connection go silent without closing it. */
  freezeAll(): void {
    for (const p of this.pairs) p.frozen = true;
  }

  get open(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private kill(p: Pair): void {
    this.pairs.delete(p);
    p.client.destroy();
    p.upstream?.destroy();
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    const pair: Pair = { client, upstream: null, frozen: false, queue: [], pumping: false };
    this.pairs.add(pair);
    client.on('error', () => this.kill(pair));
    client.on('close', () => this.kill(pair));
    client.once('data', (first) => {
      if (this.blockWebSocket && /^upgrade:\s*websocket/im.test(first.toString('latin1'))) {
        // The request vanishes: no answer, no close — what a proxy that cannot speak WebSocket does.
        this.blackholed++;
        pair.frozen = true;
        return;
      }
      const upstream = net.connect(this.upstreamPort, '127.0.0.1');
      pair.upstream = upstream;
      upstream.on('error', () => this.kill(pair));
      upstream.on('close', () => this.kill(pair));
      upstream.write(first);
      client.on('data', (chunk) => {
        if (!pair.frozen) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => this.down(pair, chunk));
    });
  }

  private down(pair: Pair, chunk: Buffer): void {
    if (pair.frozen) return;
    if (this.latencyMs <= 0 && pair.queue.length === 0) {
      pair.client.write(chunk);
      return;
    }
    pair.queue.push({ at: Date.now() + this.latencyMs, chunk });
    this.pump(pair);
  }

  /** One timer per connection, so delayed chunks leave in the order they came. */
  private pump(pair: Pair): void {
    if (pair.pumping) return;
    const next = pair.queue[0];
    if (!next) return;
    pair.pumping = true;
    setTimeout(
      () => {
        pair.pumping = false;
        pair.queue.shift();
        if (!pair.frozen && !pair.client.destroyed) pair.client.write(next.chunk);
        this.pump(pair);
      },
      Math.max(0, next.at - Date.now()),
    );
  }
}
