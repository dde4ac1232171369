import { describe, expect, it } from 'vitest';
import { isNewAssignment } from './assignment-alert';

describe('isNewAssignment (the console alert for a conversation handed to me)', () => {
  const me = 'agent-1';
  const event = { conversationId: 'c1', status: 'human_active' as const, assignedTo: me };

  it('alerts when a conversation becomes mine', () => {
    expect(isNewAssignment(event, me, new Set(), undefined)).toBe(true);
    expect(isNewAssignment(event, me, new Set(['c2']), 'c3')).toBe(true);
  });

  it('stays quiet for someone else, for the queue, for one already mine, or one I am looking at', () => {
    expect(isNewAssignment({ ...event, assignedTo: 'agent-2' }, me, new Set(), undefined)).toBe(false);
    expect(isNewAssignment({ ...event, status: 'human_requested', assignedTo: null }, me, new Set(), undefined)).toBe(
      false,
    );
    expect(isNewAssignment(event, me, new Set(['c1']), undefined)).toBe(false);
    // Taking it myself selects it: no alert for my own action.
    expect(isNewAssignment(event, me, new Set(), 'c1')).toBe(false);
  });
});
