import { describe, expect, it } from 'vitest';
import { type SupportView, senderName } from './useSupportChat';

const base: SupportView = {
  status: 'human_active',
  queuePosition: null,
  assignedTo: 'agent',
  notice: null,
  aiUserId: 'ai',
};
const names = { ai: 'AI assistant', agent: 'Alex' };

describe('who the widget says answered', () => {
  it("the agent's name by default, 'Support team' when the org says so, the AI always as itself", () => {
    expect(senderName('agent', { ...base, staffLabel: 'agent' }, names)).toBe('Alex');
    expect(senderName('agent', { ...base, staffLabel: 'team' }, names)).toBe('Support team');
    expect(senderName('ai', { ...base, staffLabel: 'team' }, names)).toBe('AI assistant');
    expect(senderName('stranger', null, {})).toBe('Support');
  });
});
