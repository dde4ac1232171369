import type { LoginResponse, Org, Tokens, User } from '@switchboard/protocol';
import { createClient, type SwitchboardClient, sessionAuth, signIn } from '@switchboard/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

/** Stored per tab: a rotating refresh token shared by two tabs would be spent by one and end the other. */
const KEY = 'sb.session';
const NOTICE_KEY = 'sb.notice';

interface Stored {
  tokens: Tokens;
  user: User;
  org: Org;
}

export interface Session {
  user: User;
  org: Org;
  client: SwitchboardClient;
}

interface SessionApi {
  session: Session | null;
  /** Why the last session ended (shown on the sign-in page), if it did not end by signing out. */
  notice: string | null;
  signIn(email: string, password: string): Promise<void>;
  /** Change my password: every other session of mine ends; this one goes on with fresh tokens. */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  signOut(): Promise<void>;
}

const Ctx = createContext<SessionApi | null>(null);

function readStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

function open(stored: Stored, onExpired: () => void): Session {
  const auth = sessionAuth(stored.tokens, {
    onTokens: (tokens) => sessionStorage.setItem(KEY, JSON.stringify({ ...stored, tokens })),
  });
  const client = createClient({
    url: window.location.origin,
    auth,
    userId: stored.user.id,
    warn: () => {},
  });
  client.subscribe('session', (e) => {
    if (e.type === 'auth.expired') onExpired();
  });
  return { user: stored.user, org: stored.org, client };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(() => sessionStorage.getItem(NOTICE_KEY));
  const [session, setSession] = useState<Session | null>(null);
  const [booted, setBooted] = useState(false);

  const end = useCallback(
    (why: string | null) => {
      sessionStorage.removeItem(KEY);
      if (why) sessionStorage.setItem(NOTICE_KEY, why);
      else sessionStorage.removeItem(NOTICE_KEY);
      setNotice(why);
      setSession((s) => {
        s?.client.close();
        return null;
      });
      queryClient.clear();
    },
    [queryClient],
  );
  // While a password change swaps this tab's session, the old one's "session ended" (the server revokes
  // every session of the user) is expected, not a reason to sign out.
  const swapping = useRef(false);
  const expire = useCallback(() => {
    if (swapping.current) return;
    end('Your session has ended. Sign in again to continue — your drafts are kept.');
  }, [end]);

  useEffect(() => {
    const stored = readStored();
    if (stored) setSession(open(stored, expire));
    setBooted(true);
  }, [expire]);

  const api = useMemo<SessionApi>(
    () => ({
      session,
      notice,
      async signIn(email, password) {
        const res: LoginResponse = await signIn({ url: window.location.origin }, { email, password });
        const { user, org, ...tokens } = res;
        const stored: Stored = { tokens, user, org };
        sessionStorage.setItem(KEY, JSON.stringify(stored));
        sessionStorage.setItem('sb.lastEmail', user.email);
        sessionStorage.removeItem(NOTICE_KEY);
        setNotice(null);
        setSession(open(stored, expire));
      },
      async changePassword(currentPassword, newPassword) {
        if (!session) throw new Error('not signed in');
        swapping.current = true;
        try {
          const res: LoginResponse = await session.client.api.auth.changePassword({ currentPassword, newPassword });
          const { user, org, ...tokens } = res;
          const stored: Stored = { tokens, user, org };
          sessionStorage.setItem(KEY, JSON.stringify(stored));
          session.client.close();
          setSession(open(stored, expire));
        } finally {
          swapping.current = false;
        }
      },
      async signOut() {
        // The local session ends even when the server cannot be told.
        if (session) await session.client.api.auth.logout().catch(() => undefined);
        end(null);
      },
    }),
    [session, notice, end, expire],
  );
  if (!booted) return null;
  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}

export function useSessionApi(): SessionApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSessionApi outside SessionProvider');
  return v;
}

/** The signed-in session (only under a route guard). */
export function useSession(): Session {
  const { session } = useSessionApi();
  if (!session) throw new Error('no session');
  return session;
}

/** Drafts outlive the session (per user and conversation, per tab), so an expiry never loses typing. */
export const drafts = {
  key: (userId: string, conversationId: string) => `sb.draft.${userId}.${conversationId}`,
  get: (userId: string, conversationId: string) => sessionStorage.getItem(drafts.key(userId, conversationId)) ?? '',
  set(userId: string, conversationId: string, text: string) {
    if (text) sessionStorage.setItem(drafts.key(userId, conversationId), text);
    else sessionStorage.removeItem(drafts.key(userId, conversationId));
  },
};
