/**
 * Named listeners: `subscribe(name, handler)` replaces whatever was registered under `name`, so a component
 * that re-renders (or code that subscribes twice) never ends up with two listeners — the bug fixed channel
 * names solved in the source system.
 *
 * @example
 * ```ts
 * const subs = new Subscriptions<string>();
 * subs.subscribe('chat-view', (e) => render(e));
 * subs.subscribe('chat-view', (e) => render(e)); // still one listener
 * ```
 */
export class Subscriptions<E> {
  private readonly handlers = new Map<string, (event: E) => void>();

  constructor(private readonly onHandlerError: (err: unknown) => void = () => {}) {}

  /** Register (or replace) the listener called `name`; the returned function removes it. */
  subscribe(name: string, handler: (event: E) => void): () => void {
    this.handlers.set(name, handler);
    return () => {
      if (this.handlers.get(name) === handler) this.handlers.delete(name);
    };
  }

  unsubscribe(name: string): void {
    this.handlers.delete(name);
  }

  /** How many listeners are registered. */
  get size(): number {
    return this.handlers.size;
  }

  emit(event: E): void {
    for (const handler of [...this.handlers.values()]) {
      try {
        handler(event);
      } catch (err) {
        this.onHandlerError(err);
      }
    }
  }
}
