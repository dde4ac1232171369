import type { UserPresence } from '@switchboard/protocol';
import type { ClientEvent, ConnectionState } from '@switchboard/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useSession } from './session';

/** Listen to the SDK client's events for the component's lifetime. */
export function useClientEvents(handler: (e: ClientEvent) => void): void {
  const { client } = useSession();
  const name = useId();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => client.subscribe(`web${name}`, (e) => ref.current(e)), [client, name]);
}

export function useConnectionState(): ConnectionState {
  const { client } = useSession();
  const [state, setState] = useState<ConnectionState>(client.state);
  useClientEvents((e) => {
    if (e.type === 'connection') setState(e.state);
  });
  return state;
}

/**
 * A user's name and presence: `GET /online-status/:id` once, then live from `user:status` events (kept in the
 * query cache by `PresenceSync`). Someone the caller may not see (another customer) answers `null`.
 */
export function usePresence(userId: string | undefined) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['presence', userId],
    enabled: !!userId,
    staleTime: 60_000,
    queryFn: async (): Promise<UserPresence | null> => {
      try {
        return await client.presence.get(userId as string);
      } catch {
        return null;
      }
    },
  });
}

/** Keeps every cached presence current from live events; mounted once by the shell. */
export function PresenceSync() {
  const qc = useQueryClient();
  useClientEvents((e) => {
    if (e.type === 'presence') qc.setQueryData(['presence', e.presence.userId], e.presence);
    if (e.type === 'presence.list') for (const p of e.users) qc.setQueryData(['presence', p.userId], p);
  });
  return null;
}

/** Re-render every `ms` (relative times such as "last seen 5 min ago"). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
