import { expect, it } from 'vitest';
import { serialQueue } from './serial-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

it('runs each function after the one before settled, failures included, and returns each result', async () => {
  const queue = serialQueue();
  const log: string[] = [];
  const step =
    (name: string, fail = false) =>
    async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
  const a = queue(step('a'));
  const b = queue(step('b', true));
  const c = queue(step('c'));
  expect(await a).toBe('a');
  await expect(b).rejects.toThrow('b');
  expect(await c).toBe('c');
  expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  // Idle again: a new call still waits for nothing and keeps the order.
  const d = queue(step('d'));
  const e = queue(step('e'));
  expect(await Promise.all([d, e])).toEqual(['d', 'e']);
  expect(log.slice(-4)).toEqual(['start d', 'end d', 'start e', 'end e']);
});
