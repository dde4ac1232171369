import { describe, expect, it } from 'vitest';
import { type SupportView, withStateRead } from './useSupportChat';

const aiActive: SupportView = {
  status: 'ai_active',
  queuePosition: null,
  assignedTo: null,
  notice: null,
  aiUserId: 'ai',
  staffLabel: 'agent',
};
const pushed: SupportView = { status: 'human_requested', queuePosition: 1, assignedTo: null, notice: 'handed_off' };

describe('withStateRead', () => {
  it('takes the read when no status was pushed while it was on its way', () => {
    expect(withStateRead(null, aiActive, false)).toEqual(aiActive);
    expect(withStateRead({ ...aiActive, notice: 'kept' }, aiActive, false).notice).toBe('kept');
    expect(withStateRead(aiActive, pushed, false)).toEqual({ ...pushed, notice: null });
  });

  it('keeps a pushed status that overtook the read, adding only what pushes do not carry', () => {
    expect(withStateRead(pushed, aiActive, true)).toEqual({ ...pushed, aiUserId: 'ai', staffLabel: 'agent' });
  });

  it('takes the read when there is nothing to keep', () => {
    expect(withStateRead(null, aiActive, true)).toEqual(aiActive);
  });
});
