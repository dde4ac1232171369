import { describe, expect, it } from 'vitest';
import { asksForHuman } from './human-request.js';

const ASKS = [
  'I want to speak to a manager',
  'a real person please',
  'agent',
  'Agent!',
  'human please',
  'Operator',
  'representative',
  'Can I talk to a human?',
  'I would like to speak with someone from your team',
  "I'd like to be connected to an agent",
  'let me talk to a person',
  'Get me a human',
  'connect me to an agent please',
  'transfer me to your supervisor',
  'I need a human',
  'Can I have a real person?',
  'is there a person I can talk to',
  'live agent',
  'I want an actual human',
  "I don't want to talk to a bot",
  'stop the bot, I need help from someone',
  'am I talking to a robot?',
  'Please let me speak to customer service',
  'I need to talk to someone real',
  'Can I chat with a support agent?',
];

const ORDINARY = [
  'How do I reset my password?',
  'Can an agent see my attachments?',
  'How do I add an agent to my team?',
  'What does a supervisor see on the dashboard?',
  'How do managers approve AI drafts?',
  'Can I chat with colleagues in the messenger?',
  'How do I talk to my team in a group conversation?',
  'How do I connect Redis for cluster mode?',
  'Is the human approval step optional?',
  'Does the AI agent learn from edits?',
  'What is the maximum file size for uploads?',
  'How do read receipts work?',
  'Can a person belong to two organizations?',
  'Where do I find the widget snippet?',
  'How many agents can work at the same time?',
  'What happens when an agent goes offline?',
  'Can customers speak to the bot in French?',
  'How do I export the dashboard to CSV?',
  'Do you support real-time typing indicators?',
  'Which roles exist: customer, agent, supervisor, admin?',
  'How do I invite a new operator account?',
  'Is there a live demo?',
];

describe('asking for a person', () => {
  it.each(ASKS)('hands over: %s', (text) => expect(asksForHuman(text)).toBe(true));
  it.each(ORDINARY)('answers as usual: %s', (text) => expect(asksForHuman(text)).toBe(false));
});
