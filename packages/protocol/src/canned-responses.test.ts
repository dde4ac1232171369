import { describe, expect, it } from 'vitest';
import { CreateCannedResponseSchema, fillCannedResponse } from './canned-responses.js';

const vars = { customerName: 'Ada Lovelace', customerEmail: 'ada@example.com', agentName: 'Sam' };

describe('canned responses', () => {
  it('fills the known variables, with or without spaces, and leaves unknown ones visible', () => {
    expect(fillCannedResponse('Hi {{customer.name}} ({{ customer.email }}), {{agent.name}} here.', vars)).toBe(
      'Hi Ada Lovelace (ada@example.com), Sam here.',
    );
    expect(fillCannedResponse('Order {{order.id}}', vars)).toBe('Order {{order.id}}');
    // A value is inserted as text: a name with braces is not expanded again.
    expect(fillCannedResponse('{{customer.name}}', { ...vars, customerName: '{{agent.name}}' })).toBe('{{agent.name}}');
  });

  it('normalises shortcuts and refuses ones that cannot follow a slash', () => {
    expect(CreateCannedResponseSchema.parse({ shortcut: ' Refund ', title: 't', text: 'x' })).toMatchObject({
      shortcut: 'refund',
      scope: 'personal',
    });
    for (const bad of ['', 'two words', '/refund', '-x', 'a'.repeat(41)])
      expect(CreateCannedResponseSchema.safeParse({ shortcut: bad, title: 't', text: 'x' }).success).toBe(false);
  });
});
