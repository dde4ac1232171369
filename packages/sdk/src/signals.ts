/**
 * A boolean the environment tells the client about (page visible, network online). Browsers get one backed
 * by `document` / `navigator`; Node has neither, so tests pass a `manualSignal` and drive it.
 */
export interface Signal {
  get(): boolean;
  subscribe(listener: (value: boolean) => void): () => void;
}

/**
 * A signal set by hand.
 *
 * @example
 * ```ts
 * const visible = manualSignal(true);
 * const client = createClient({ url, auth, environment: { visible } });
 * visible.set(false); // polling pauses
 * ```
 */
export function manualSignal(initial: boolean): Signal & { set(value: boolean): void } {
  let value = initial;
  const listeners = new Set<(v: boolean) => void>();
  return {
    get: () => value,
    set(next) {
      if (next === value) return;
      value = next;
      for (const l of [...listeners]) l(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Always true (Node without a page). */
export const alwaysOn: Signal = { get: () => true, subscribe: () => () => {} };

type EventTargetLike = {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
};

function eventSignal(target: EventTargetLike, events: string[], read: () => boolean): Signal {
  return {
    get: read,
    subscribe(listener) {
      const fn = () => listener(read());
      for (const e of events) target.addEventListener(e, fn);
      return () => {
        for (const e of events) target.removeEventListener(e, fn);
      };
    },
  };
}

/**
 * Page visibility from `document.visibilityState` in a browser, `alwaysOn` elsewhere.
 *
 * @example
 * ```ts
 * browserVisibility().get(); // false while the tab is in the background
 * ```
 */
export function browserVisibility(): Signal {
  const doc = (globalThis as { document?: EventTargetLike & { visibilityState?: string } }).document;
  if (!doc || typeof doc.addEventListener !== 'function') return alwaysOn;
  return eventSignal(doc, ['visibilitychange'], () => doc.visibilityState !== 'hidden');
}

/**
 * Network reachability from `navigator.onLine` and the window's `online` / `offline` events; `alwaysOn`
 * outside a browser.
 *
 * @example
 * ```ts
 * browserOnline().subscribe((online) => console.log(online ? 'back' : 'offline'));
 * ```
 */
export function browserOnline(): Signal {
  const win = globalThis as unknown as Partial<EventTargetLike> & { navigator?: { onLine?: boolean } };
  if (typeof win.addEventListener !== 'function' || typeof win.navigator?.onLine !== 'boolean') return alwaysOn;
  return eventSignal(win as EventTargetLike, ['online', 'offline'], () => win.navigator?.onLine !== false);
}
