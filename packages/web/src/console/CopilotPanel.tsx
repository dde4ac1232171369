import { Alert, Box, Button, Collapse, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { CopilotSuggestion, RewriteStyle } from '@switchboard/protocol';
import { useEffect, useState } from 'react';
import { useSession } from '../session';

const STYLES: [RewriteStyle, string][] = [
  ['shorter', 'Shorter'],
  ['friendlier', 'Friendlier'],
  ['grammar', 'Fix grammar'],
];

/** The server's reason in words an agent can act on (`llm_not_configured` names the missing settings). */
function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'llm_not_configured') return `Not available: ${e.message ?? 'no LLM is configured on this server'}`;
  return e.message ?? 'That did not work';
}

/**
 * The agent copilot for one support conversation, whatever its status: suggest a reply from the knowledge
 * base (with the articles it comes from), rewrite it (shorter, friendlier, grammar), translate it, or
 * summarise the conversation. The working text is the agent's to change; it is sent only with Send, and only
 * when the conversation is theirs. Folded by default so the history keeps its room.
 */
export function CopilotPanel(props: { conversationId: string; canSend: boolean }) {
  const { conversationId, canSend } = props;
  const { client } = useSession();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [language, setLanguage] = useState('');
  const [suggestion, setSuggestion] = useState<CopilotSuggestion | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new conversation starts with a clean slate
  useEffect(() => {
    setText('');
    setSuggestion(null);
    setSummary(null);
    setError(null);
  }, [conversationId]);

  const run = async (what: string, call: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await call();
    } catch (err) {
      setError(reasonOf(err));
    } finally {
      setBusy(null);
    }
  };
  const suggest = () =>
    run('suggest', async () => {
      const s = await client.api.copilot.suggest(conversationId);
      setSuggestion(s);
      if (!s.noAnswer) setText(s.text);
    });
  const rewrite = (style: RewriteStyle) =>
    run(style, async () => setText((await client.api.copilot.rewrite(conversationId, { text, style })).text));
  const translate = () =>
    run('translate', async () =>
      setText((await client.api.copilot.translate(conversationId, { text, language: language.trim() })).text),
    );
  const summarise = () =>
    run('summary', async () => setSummary((await client.api.copilot.summary(conversationId)).text));
  const send = () => {
    client.send(conversationId, text.trim());
    setText('');
    setSuggestion(null);
  };

  return (
    // Capped and scrolling on its own, so the conversation's history keeps room below it.
    <Box px="md" pb="xs" data-testid="copilot" style={{ flex: 'none', maxHeight: '45%', overflowY: 'auto' }}>
      <Group gap="xs">
        <Button size="compact-sm" variant="subtle" onClick={() => setOpen((o) => !o)} data-testid="copilot-toggle">
          {open ? '▾' : '▸'} Copilot
        </Button>
        {open && (
          <>
            <Button size="compact-sm" variant="light" onClick={suggest} loading={busy === 'suggest'}>
              Suggest reply
            </Button>
            <Button size="compact-sm" variant="light" color="gray" onClick={summarise} loading={busy === 'summary'}>
              Summarise
            </Button>
          </>
        )}
      </Group>
      <Collapse expanded={open}>
        <Stack gap={6} mt={6}>
          {summary && (
            <Alert color="blue" py={6} title="Summary" data-testid="copilot-summary">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {summary}
              </Text>
            </Alert>
          )}
          {suggestion?.noAnswer && (
            <Alert color="gray" py={6} data-testid="copilot-no-answer">
              No good answer found in the knowledge base for “{suggestion.question}”. Closest articles below.
            </Alert>
          )}
          <Textarea
            autosize
            minRows={2}
            maxRows={8}
            placeholder="Suggest a reply, or type one to rewrite or translate"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="copilot-text"
          />
          <Group gap={6}>
            {STYLES.map(([style, label]) => (
              <Button
                key={style}
                size="compact-xs"
                variant="default"
                disabled={!text.trim()}
                loading={busy === style}
                onClick={() => rewrite(style)}
              >
                {label}
              </Button>
            ))}
            <TextInput
              size="xs"
              w={110}
              placeholder="Language"
              aria-label="Translate into"
              value={language}
              onChange={(e) => setLanguage(e.currentTarget.value)}
            />
            <Button
              size="compact-xs"
              variant="default"
              disabled={!text.trim() || language.trim().length < 2}
              loading={busy === 'translate'}
              onClick={translate}
            >
              Translate
            </Button>
            <Button
              size="compact-xs"
              ml="auto"
              disabled={!canSend || !text.trim()}
              title={canSend ? undefined : 'Take the conversation to send'}
              onClick={send}
              data-testid="copilot-send"
            >
              Send
            </Button>
          </Group>
          {suggestion && suggestion.sources.length > 0 && (
            <Text size="xs" c="dimmed" data-testid="copilot-sources">
              {suggestion.noAnswer ? 'Closest: ' : 'From: '}
              {suggestion.sources.map((s) => s.title).join(' · ')}
            </Text>
          )}
          {error && (
            <Alert color="red" py={6} data-testid="copilot-error">
              {error}
            </Alert>
          )}
        </Stack>
      </Collapse>
    </Box>
  );
}
