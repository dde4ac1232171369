import { CronExpressionParser } from 'cron-parser';
import type { ScheduleDef, SubmitOptions } from './queue.js';

/** The next fire time of `cron` strictly after `after` (UTC); throws on a malformed expression. */
export function nextFire(cron: string, after: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: 'UTC' })
    .next()
    .getTime();
}

/**
 * Recurring schedules of one node. Every node that registers the same schedule submits the same tick with
 * the idempotency key `schedule:<name>:<fire time>`, so the tick runs once however many nodes are up.
 */
export function scheduler(submit: (input: SubmitOptions) => Promise<unknown>) {
  const entries = new Map<string, { def: ScheduleDef; next: number | undefined }>();
  return {
    add(def: ScheduleDef): void {
      nextFire(def.cron, Date.now());
      entries.set(def.name, { def, next: undefined });
    },
    /** Submit every tick that is due at `now`; the first call only arms each schedule. */
    async fire(now: number): Promise<void> {
      for (const entry of entries.values()) {
        if (entry.next === undefined) {
          entry.next = nextFire(entry.def.cron, now);
          continue;
        }
        if (now < entry.next) continue;
        const due = entry.next;
        entry.next = nextFire(entry.def.cron, now);
        await submit({
          type: entry.def.type,
          payload: entry.def.payload ?? {},
          idempotencyKey: `schedule:${entry.def.name}:${due}`,
        });
      }
    },
  };
}
