import type { OpeningRange } from '@switchboard/protocol';

const DAY_MS = 86_400_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date and time at instant `t` in `timeZone`. */
export function localTime(t: number, timeZone: string): LocalTime & { second: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at instant `t`, in ms. */
function offsetAt(t: number, timeZone: string): number {
  const l = localTime(t, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, 0, l.minute, l.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a DST jump resolves to just after
 * the jump (the first moment the team would be open).
 */
export function zonedInstant(year: number, month: number, day: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  let t = wall - offsetAt(wall, timeZone);
  // The offset at the guess can differ from the offset at the answer when a DST change lies between them.
  t = wall - offsetAt(t, timeZone);
  return t;
}

/** Whether `t` falls in one of the weekly ranges, read in `timeZone`. */
export function isOpenAt(ranges: readonly OpeningRange[], timeZone: string, t: number): boolean {
  const now = localTime(t, timeZone);
  const yesterday = (now.weekday + 6) % 7;
  return ranges.some((r) => {
    const open = minutesOf(r.open);
    const close = minutesOf(r.close);
    if (open < close) return r.day === now.weekday && now.minute >= open && now.minute < close;
    // Overnight (or 24 h): from `open` on its day to `close` on the next.
    return (r.day === now.weekday && now.minute >= open) || (r.day === yesterday && now.minute < close);
  });
}

/**
 * When the team next opens after `t`: null while open now or when no range is set. Looks at most eight days
 * ahead, which covers every weekly schedule.
 */
export function nextOpening(ranges: readonly OpeningRange[], timeZone: string, t: number): number | null {
  if (ranges.length === 0 || isOpenAt(ranges, timeZone, t)) return null;
  const today = localTime(t, timeZone);
  const base = Date.UTC(today.year, today.month - 1, today.day);
  let best: number | null = null;
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(base + offset * DAY_MS);
    const weekday = date.getUTCDay();
    for (const r of ranges) {
      if (r.day !== weekday) continue;
      const at = zonedInstant(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        minutesOf(r.open),
        timeZone,
      );
      if (at > t && (best === null || at < best)) best = at;
    }
    if (best !== null) return best;
  }
  return best;
}
