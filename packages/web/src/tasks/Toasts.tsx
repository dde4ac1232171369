import { Notification, Stack } from '@mantine/core';
import { useCallback, useState } from 'react';

export interface Toast {
  id: number;
  color: 'green' | 'red' | 'blue';
  title: string;
  message: string;
}

/** A small stack of dismissable toasts in the corner; each goes away by itself after 6 s. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (t: Omit<Toast, 'id'>) => {
      const id = Date.now() + Math.random();
      setToasts((all) => [...all.slice(-3), { ...t, id }]);
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
          title={t.title}
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
