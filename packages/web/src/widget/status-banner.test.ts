import { describe, expect, it } from 'vitest';
import { agentIsHere } from './StatusBanner';

const me = 'customer';
const agent = 'agent';

describe('"<agent> joined" in the widget', () => {
  it('is said only once the assigned person answered or has read my messages, not at assignment', () => {
    const asked = [{ senderId: me, state: 'sent' }];
    expect(agentIsHere(asked, agent, me)).toBe(false);
    expect(agentIsHere(asked, null, me)).toBe(false);
    expect(agentIsHere([{ senderId: me, state: 'read' }], agent, me)).toBe(true);
    expect(agentIsHere([...asked, { senderId: agent, state: 'sent' }], agent, me)).toBe(true);
    // The AI's answers do not count for the person.
    expect(agentIsHere([...asked, { senderId: 'ai', state: 'sent' }], agent, me)).toBe(false);
  });
});
