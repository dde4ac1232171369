import type { CreateArticle } from '@switchboard/protocol';

/** Switchboard's own help, the demo org's knowledge base: a newcomer can ask the widget about Switchboard. */
export const DEMO_ARTICLES: readonly (CreateArticle & { externalId: string })[] = [
  {
    externalId: 'help-login',
    title: 'How do I log in to Switchboard?',
    topics: ['account', 'login'],
    body: 'Open the web app and sign in with your work email and password on the **Sign in** page.\n\nIn the demo, every account uses the password `switchboard-demo`: try admin@demo.example, agent@demo.example or customer@demo.example.',
  },
  {
    externalId: 'help-reset-password',
    title: 'How do I reset or change my password?',
    topics: ['account', 'password'],
    body: 'To change your password, open your profile menu, choose **Change password**, enter the current password and the new one (at least 10 characters). Every other session of yours is signed out.\n\nIf you forgot your password, ask an admin of your organization for help: there is no reset by email.',
  },
  {
    externalId: 'help-ai',
    title: 'What does the AI assistant do?',
    topics: ['ai', 'assistant'],
    body: 'The AI assistant answers customer questions from the knowledge base. For each question it finds the best matching help articles, drafts an answer that quotes them, and scores its confidence.\n\nWhen the confidence is above the threshold set by an admin (0.75 by default) the answer is sent at once. Otherwise an agent reviews the draft first, so customers never get an unreviewed guess.',
  },
  {
    externalId: 'help-approvals',
    title: 'How do approvals of AI drafts work?',
    topics: ['ai', 'approvals', 'agents'],
    body: 'Drafts the AI is unsure about appear in the agents\' approval queue. An agent claims an item (others see who holds it), then approves it as is, edits the text before sending, or rejects it and answers the customer personally.\n\nWhile a draft waits, the customer sees "an agent is reviewing your answer". If nobody decides within two minutes, the conversation is escalated to a person.',
  },
  {
    externalId: 'help-human',
    title: 'How do I talk to a person instead of the AI?',
    topics: ['support', 'handoff'],
    body: 'Press **Talk to a person** in the chat widget, or just write "I want to talk to a person". Your conversation joins the queue, you see your place in it, and the next available agent takes it over.',
  },
  {
    externalId: 'help-knowledge-base',
    title: 'How do I add articles to the knowledge base?',
    topics: ['knowledge base', 'admin'],
    body: 'Admins and supervisors manage articles on the **Knowledge** page: a title, a markdown body, topic tags and a published flag. Only published articles are used by the AI.\n\nTo import many at once, run `switchboard kb import DIR --org SLUG` with a folder of markdown files, or POST a JSON list to `/api/v1/kb/import`.',
  },
  {
    externalId: 'help-threshold',
    title: 'How do I choose the confidence threshold?',
    topics: ['ai', 'admin', 'settings'],
    body: 'Run `switchboard ai eval questions.json --kb kb.json` with questions your customers really ask and the article that answers each. It prints, for each threshold, the share of answers sent automatically and how many of those were right. Pick the lowest threshold whose precision you accept and set it under **Settings → AI assistant**.',
  },
  {
    externalId: 'help-presence',
    title: 'What do the online, away and busy statuses mean?',
    topics: ['presence', 'agents'],
    body: 'Online means you are active in the app. After a few minutes without activity you show as away. You can set busy yourself. Only online agents are assigned new conversations, up to their capacity.',
  },
];
