import { createClient, type SwitchboardClient, SwitchboardError, sessionAuth, widgetSession } from '@switchboard/sdk';

/** What the embedding page passed through the iframe's URL (see public/widget.js). */
export interface WidgetParams {
  key: string;
  identity?: { userId: string; signature: string };
  name?: string;
}

export function widgetParams(search: string): WidgetParams | null {
  const q = new URLSearchParams(search);
  const key = q.get('key');
  if (!key) return null;
  const uid = q.get('uid');
  const sig = q.get('sig');
  return {
    key,
    ...(uid && sig ? { identity: { userId: uid, signature: sig } } : {}),
    ...(q.get('name') ? { name: q.get('name') as string } : {}),
  };
}

/**
 * Kept per widget key (and per verified user), so a reload — or the next visit — resumes the same visitor
 * and conversation: in the Switchboard origin's localStorage, and mirrored to the embedding page (which keeps
 * it in its own first-party storage and hands it back in the iframe's URL fragment), because browsers that
 * block third-party storage deny the iframe its localStorage. The visitor id is the credential of an
 * anonymous visitor; tokens are not kept: each page load starts a fresh session from it.
 */
interface Stored {
  visitorId?: string;
  conversationId?: string;
}
const storageKey = (p: WidgetParams) => `sb.widget.${p.key}${p.identity ? `.${p.identity.userId}` : ''}`;

/** What the embedding page handed back (`#s=<json>`), read once at load. */
const fromHost: Stored = (() => {
  try {
    const raw = new URLSearchParams(window.location.hash.slice(1)).get('s');
    const v = raw ? (JSON.parse(raw) as Stored) : {};
    return typeof v === 'object' && v ? v : {};
  } catch {
    return {};
  }
})();

export function readStored(p: WidgetParams): Stored {
  try {
    const own = JSON.parse(localStorage.getItem(storageKey(p)) ?? '{}') as Stored;
    return { ...fromHost, ...own };
  } catch {
    return { ...fromHost };
  }
}
export function writeStored(p: WidgetParams, patch: Stored): void {
  const next = { ...readStored(p), ...patch };
  Object.assign(fromHost, next);
  try {
    localStorage.setItem(storageKey(p), JSON.stringify(next));
  } catch {
    // Storage denied (third-party iframe): the embedding page keeps the copy below.
  }
  if (!p.identity) window.parent?.postMessage({ switchboard: 'state', key: p.key, state: next }, '*');
}

export interface WidgetSession {
  client: SwitchboardClient;
  userId: string;
  displayName: string;
  /** The customer's open support conversation, if they have one. */
  conversationId: string | null;
}

/** Start (or resume) the visitor, open the SDK client, and find the conversation to show. */
export async function openWidgetSession(p: WidgetParams): Promise<WidgetSession> {
  const url = window.location.origin;
  const stored = readStored(p);
  const res = await widgetSession(
    { url },
    {
      widgetKey: p.key,
      ...(stored.visitorId && !p.identity ? { visitorId: stored.visitorId } : {}),
      ...(p.identity ? { identity: p.identity } : {}),
      ...(p.name ? { displayName: p.name } : {}),
    },
  );
  const { user, visitorId, identityUserId: _identity, ...tokens } = res;
  if (visitorId) writeStored(p, { visitorId });
  const client = createClient({ url, auth: sessionAuth(tokens), userId: user.id, warn: () => {} });
  let conversationId: string | null = null;
  if (stored.conversationId) {
    conversationId = await client.api.support
      .state(stored.conversationId)
      .then((s) => s.conversationId)
      .catch(() => null);
  }
  if (!conversationId) {
    const { items } = await client.api.conversations.list({ limit: 20 });
    conversationId = items.find((c) => c.kind === 'support')?.id ?? null;
  }
  if (conversationId) writeStored(p, { conversationId });
  return { client, userId: user.id, displayName: user.displayName, conversationId };
}

/** The customer's first message creates the conversation (no empty conversation per page view). */
export async function startConversation(p: WidgetParams, client: SwitchboardClient): Promise<string> {
  const { conversation } = await client.api.conversations.create({ kind: 'support' });
  writeStored(p, { conversationId: conversation.id });
  return conversation.id;
}

export function describeError(err: unknown): string {
  if (err instanceof SwitchboardError) {
    if (err.code === 'not_found') return 'This chat is not set up correctly (unknown widget key).';
    if (err.code === 'invalid_credentials') return 'We could not verify who you are. Reload the page to try again.';
    if (err.code === 'rate_limited') return 'Too many chats were started from here. Try again in a minute.';
  }
  return 'The chat cannot reach the server right now. Check your connection and try again.';
}
