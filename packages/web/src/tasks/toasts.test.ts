import { describe, expect, it } from 'vitest';
import { type Toast, withToast } from './Toasts';

const done = { color: 'green' as const, title: 'Task finished' };

describe('withToast', () => {
  it('merges a burst of the same toast into one card with a count and the latest message', () => {
    let all: Toast[] = [];
    for (let i = 1; i <= 4; i++) all = withToast(all, { ...done, message: `demo.sleep #${i}` }, i);
    expect(all).toEqual([{ ...done, message: 'demo.sleep #4', id: 4, count: 4 }]);
  });

  it('keeps different toasts apart, newest last, at most four', () => {
    let all: Toast[] = [];
    const titles = ['Task finished', 'Task failed', 'Task finished', 'Not possible', 'Task failed'];
    titles.forEach((title, i) => {
      all = withToast(all, { color: title === 'Task finished' ? 'green' : 'red', title, message: 'm' }, i);
    });
    expect(all.map((t) => [t.title, t.count])).toEqual([
      ['Task failed', 1],
      ['Task finished', 1],
      ['Not possible', 1],
      ['Task failed', 1],
    ]);
  });
});
