import { Notification, Stack } from '@mantine/core';
import { useCallback, useState } from 'react';

export interface Toast {
  id: number;
  color: 'green' | 'red' | 'blue';
  title: string;
  message: string;
  /** How many toasts of this title and colour came in a row: they share one card, the latest message shown. */
  count: number;
}
/** What a caller passes to `show`. */
export type ToastInput = Omit<Toast, 'id' | 'count'>;

/** Toasts shown at once, newest last. */
const MAX_TOASTS = 4;

/** The stack after `t` came in: merged into the newest toast when it has the same title and colour. */
export function withToast(all: readonly Toast[], t: ToastInput, id: number): Toast[] {
  const last = all.at(-1);
  if (last && last.title === t.title && last.color === t.color)
    return [...all.slice(0, -1), { ...t, id, count: last.count + 1 }];
  return [...all.slice(-(MAX_TOASTS - 1)), { ...t, id, count: 1 }];
}

/**
 * A small stack of dismissable toasts in the corner (at most MAX_TOASTS); each goes away by itself after 6 s. A toast
 * with the same title and colour as the newest one replaces it with a count ("Task finished (3)"), so a burst
 * of finished tasks is one card, not a column over the list on a phone.
 */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (t: ToastInput) => {
      const id = Date.now() + Math.random();
      setToasts((all) => withToast(all, t, id));
      setTimeout(() => dismiss(id), 6_000);
    },
    [dismiss],
  );
  const view = (
    <Stack gap="xs" pos="fixed" bottom={16} right={16} style={{ zIndex: 400, maxWidth: 'calc(100vw - 32px)' }}>
      {toasts.map((t) => (
        <Notification
          key={t.id}
          color={t.color}
          title={t.count > 1 ? `${t.title} (${t.count})` : t.title}
          onClose={() => dismiss(t.id)}
          role="status"
          data-testid="toast"
          w={340}
          maw="100%"
        >
          {t.message}
        </Notification>
      ))}
    </Stack>
  );
  return { show, view };
}
