import { describe, expect, it } from 'vitest';
import { articleFromMarkdown, parseImportFiles } from './import-articles';

describe('knowledge import files', () => {
  it('a markdown file: heading as title, topics line, file name as external id', () => {
    const a = articleFromMarkdown({
      name: 'reset-password.md',
      text: '\n# Reset your password\ntopics: account, security\n\nOpen **Settings**.\r\nThen *Password*.\n',
    });
    expect(a).toEqual({
      title: 'Reset your password',
      topics: ['account', 'security'],
      body: 'Open **Settings**.\nThen *Password*.',
      externalId: 'reset-password.md',
    });
    expect(articleFromMarkdown({ name: 'No heading.md', text: 'Just text' }).title).toBe('No heading');
  });

  it('JSON lists, { articles } objects and StackFAQ ids; markdown files alongside', () => {
    const r = parseImportFiles([
      { name: 'kb.json', text: JSON.stringify([{ id: 7, title: 'A', body: 'a', topics: ['x'] }]) },
      { name: 'more.json', text: JSON.stringify({ articles: [{ title: 'B', body: 'b', published: false }] }) },
      { name: 'c.md', text: '# C\nc' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.count).toBe(3);
    expect(r.body.articles[0]).toMatchObject({ title: 'A', externalId: '7', published: true });
    expect(r.body.articles[1]).toMatchObject({ title: 'B', published: false, topics: [] });
    expect(r.body.articles[2]).toMatchObject({ title: 'C', body: 'c', externalId: 'c.md' });
  });

  it('refuses what the server would refuse, with a readable reason', () => {
    expect(parseImportFiles([])).toMatchObject({ ok: false });
    expect(parseImportFiles([{ name: 'x.txt', text: 'hi' }])).toEqual({
      ok: false,
      error: 'x.txt: only .json and .md files can be imported',
    });
    expect(parseImportFiles([{ name: 'bad.json', text: '{nope' }])).toEqual({
      ok: false,
      error: 'bad.json: not valid JSON',
    });
    expect(parseImportFiles([{ name: 'o.json', text: '{"x":1}' }])).toMatchObject({
      ok: false,
      error: /expected a list/,
    });
    const empty = parseImportFiles([{ name: 'e.md', text: '# Title only' }]);
    expect(empty).toMatchObject({ ok: false, error: expect.stringContaining('articles.0.body') });
  });
});
