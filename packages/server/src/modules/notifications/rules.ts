import type { ConversationKind, NotificationSettings, QuietHours } from '@switchboard/protocol';
import type { ConversationSetting } from './notifications.repo.js';

/** Why a recipient gets no push for a message. */
export type SkipReason = 'online' | 'push_off' | 'quiet_hours' | 'muted';

export type PushDecision = { notify: true; alert: boolean } | { notify: false; reason: SkipReason };

export interface Recipient {
  userId: string;
  /** Names a `@mention` may use: the display name and the email's local part. */
  names: readonly string[];
}

export interface MessageFacts {
  text: string;
  conversationKind: ConversationKind;
  /** When the message was stored; quiet hours and mutes are judged at this instant. */
  at: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A letter, digit or underscore in any script: what a whole word may not touch. */
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

/** The code point that ends just before `i` (a surrogate pair counts as one). */
function codePointBefore(text: string, i: number): string {
  if (i <= 0) return '';
  const low = text.charCodeAt(i - 1);
  return low >= 0xdc00 && low <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text.charAt(i - 1);
}

/** The code point that starts at `i`. */
function codePointAt(text: string, i: number): string {
  const cp = text.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/**
 * Whether `word` occurs in `text` as a whole word (or phrase), ignoring case (Unicode case folding).
 *
 * The word itself is a plain case-insensitive pattern and the word-boundary test is one regex compiled once: a
 * single pattern with the `\p{L}` classes around the word cost V8 ~300 µs to compile for every new word, and a
 * group message runs this for each offline member's names (docs/performance.md).
 */
export function containsWord(text: string, word: string): boolean {
  const w = word.trim();
  if (!w) return false;
  const pattern = new RegExp(escapeRegExp(w), 'giu');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const end = m.index + m[0].length;
    if (!WORD_CHAR.test(codePointBefore(text, m.index)) && !WORD_CHAR.test(codePointAt(text, end))) return true;
    // Try again one code point further: an earlier match inside a longer word may hide a whole-word one.
    pattern.lastIndex = m.index + codePointAt(text, m.index).length;
  }
  return false;
}

/** `@name` of this recipient anywhere in `text` (display names may contain spaces: `@Ann Lee`). */
export function mentions(text: string, names: readonly string[]): boolean {
  if (!text.includes('@')) return false;
  return names.some((n) => n.trim().length > 0 && containsWord(text, `@${n.trim()}`));
}

/** Minutes since local midnight in `timezone` at `at`. */
function localMinutes(at: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Inside the window [start, end) in local time; a window past midnight wraps. */
export function inQuietHours(q: QuietHours | null, at: number): boolean {
  if (!q) return false;
  const now = localMinutes(at, q.timezone);
  const start = toMinutes(q.start);
  const end = toMinutes(q.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

export function isMuted(c: ConversationSetting | undefined, at: number): boolean {
  if (!c) return false;
  return c.mutedForever || (c.mutedUntil !== null && at < c.mutedUntil);
}

/**
 * Does this recipient get a push for this message? In order: someone with a live socket sees it already;
 * push off means never; quiet hours hold everything back; a muted conversation stays silent unless the
 * message hits one of my keywords or (in a group) mentions me — then it is an `alert`.
 */
export function decidePush(
  recipient: Recipient,
  settings: NotificationSettings,
  conversation: ConversationSetting | undefined,
  online: boolean,
  message: MessageFacts,
): PushDecision {
  if (online) return { notify: false, reason: 'online' };
  if (!settings.push) return { notify: false, reason: 'push_off' };
  if (inQuietHours(settings.quietHours, message.at)) return { notify: false, reason: 'quiet_hours' };
  const alert =
    settings.keywords.some((k) => containsWord(message.text, k)) ||
    (message.conversationKind === 'group' && mentions(message.text, recipient.names));
  if (isMuted(conversation, message.at) && !alert) return { notify: false, reason: 'muted' };
  return { notify: true, alert };
}

/** The first `max` characters of `text` (on a code point boundary), with an ellipsis when cut. */
export function preview(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
