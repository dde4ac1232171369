import { ActionIcon, Alert, Box, Button, Group, Loader, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import type { SwitchboardClient } from '@switchboard/sdk';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Markdown } from '../components/Markdown';
import { AttachButton } from '../messenger/AttachButton';
import { Attachments } from '../messenger/Attachments';
import { agentIsHere, StatusBanner } from './StatusBanner';
import { AwayNotice, PrechatForm, useSupportHours } from './SupportHours';
import { useSupportChat } from './useSupportChat';
import {
  describeError,
  openWidgetSession,
  startConversation,
  type WidgetParams,
  type WidgetSession,
  widgetParams,
} from './widget-session';

const closePanel = () => window.parent?.postMessage('switchboard:close', '*');

/**
 * The customer chat panel: the page `/widget` inside the iframe that `widget.js` puts on a site. It starts a
 * widget session from the org key (and verified identity, if the site passed one), resumes the visitor's
 * conversation after a reload, and shows the contact-center status as it changes.
 */
export function WidgetPage() {
  const params = useMemo(() => widgetParams(window.location.search), []);
  const [session, setSession] = useState<WidgetSession | null>(null);
  const [error, setError] = useState<string | null>(params ? null : 'This chat is missing its widget key.');
  const [attempt, setAttempt] = useState(0);

  // `attempt` re-runs the start after a failure ("Try again").
  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is the retry trigger
  useEffect(() => {
    if (!params) return;
    let live: WidgetSession | null = null;
    let cancelled = false;
    setError(null);
    openWidgetSession(params)
      .then((s) => {
        if (cancelled) s.client.close();
        else {
          live = s;
          setSession(s);
        }
      })
      .catch((err) => !cancelled && setError(describeError(err)));
    return () => {
      cancelled = true;
      live?.client.close();
    };
  }, [params, attempt]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closePanel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Stack h="100vh" gap={0} data-testid="widget" style={{ background: 'var(--mantine-color-body)' }}>
      <Group
        justify="space-between"
        px="md"
        py="sm"
        style={{ background: 'var(--mantine-color-blue-filled)', color: 'white' }}
      >
        <Box>
          <Text fw={600}>Chat with us</Text>
          <Text size="xs" opacity={0.85}>
            Answers from our assistant and our team
          </Text>
        </Box>
        <ActionIcon variant="subtle" color="white" aria-label="Close chat" onClick={closePanel}>
          ✕
        </ActionIcon>
      </Group>
      {error && (
        <Alert color="red" m="md" title="Chat unavailable" data-testid="widget-error">
          {error}
          {params && (
            <Button size="xs" mt="sm" variant="light" onClick={() => setAttempt((a) => a + 1)}>
              Try again
            </Button>
          )}
        </Alert>
      )}
      {!error && !session && (
        <Group justify="center" p="xl">
          <Loader size="sm" />
        </Group>
      )}
      {session && params && <WidgetChat params={params} session={session} />}
    </Stack>
  );
}

function WidgetChat({ params, session }: { params: WidgetParams; session: WidgetSession }) {
  const { client, userId } = session;
  const [conversationId, setConversationId] = useState(session.conversationId);
  const chat = useSupportChat(client, conversationId, userId);
  const viewport = useRef<HTMLDivElement>(null);
  const count = chat.messages.length;
  const typingCount = chat.typing.length;

  // Stay at the newest message as answers and status lines arrive.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again whenever the content grows
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [count, typingCount, chat.support?.status, chat.writing]);

  const hours = useSupportHours(client);
  // Asked once, before the first message: a visitor with a conversation already gave (or skipped) it.
  const [prechatDone, setPrechatDone] = useState(session.conversationId !== null);
  if (hours && (hours.prechatName || hours.prechatEmail) && !prechatDone && !conversationId) {
    return <PrechatForm client={client} hours={hours} onDone={() => setPrechatDone(true)} />;
  }

  return (
    <>
      {hours && !hours.open && <AwayNotice client={client} hours={hours} />}
      <StatusBanner
        support={chat.support}
        nameOf={chat.nameOf}
        hours={hours}
        agentHere={agentIsHere(chat.messages, chat.support?.assignedTo, userId)}
      />
      <ScrollArea style={{ flex: 1 }} viewportRef={viewport} px="md" py="sm">
        <Stack gap="xs" data-testid="widget-messages">
          {count === 0 && (
            <Text c="dimmed" size="sm" ta="center" mt="lg">
              Hi {session.displayName}! Ask us anything — our assistant answers at once, and a person steps in when
              needed.
            </Text>
          )}
          {chat.messages.map((m) => {
            const mine = m.senderId === userId;
            return (
              <Box
                key={m.clientMsgId}
                data-testid={mine ? 'widget-msg-mine' : 'widget-msg-theirs'}
                style={{ alignSelf: mine ? 'flex-end' : 'flex-start', maxWidth: '85%' }}
              >
                {!mine && (
                  <Text size="xs" c="dimmed">
                    {chat.nameOf(m.senderId)}
                  </Text>
                )}
                <Box
                  px="sm"
                  py={6}
                  style={{
                    borderRadius: 12,
                    whiteSpace: 'pre-wrap',
                    overflowWrap: 'anywhere',
                    background: mine ? 'var(--mantine-color-blue-filled)' : 'var(--mantine-color-gray-1)',
                    color: mine ? 'white' : undefined,
                  }}
                >
                  <Text size="sm" component="div">
                    {m.deletedAt ? 'Message deleted' : <Markdown text={m.text ?? ''} />}
                  </Text>
                </Box>
                {/* Below the bubble: the file links keep their own colours on either side. */}
                <Attachments m={m} client={client} />
                {mine && m.state === 'read' && (
                  <Text size="xs" c="dimmed" ta="right" data-testid="widget-seen">
                    Seen
                  </Text>
                )}
                {mine && (m.state === 'sending' || m.state === 'failed') && (
                  <Text size="xs" c={m.state === 'failed' ? 'red' : 'dimmed'} ta="right">
                    {m.state === 'failed' ? 'Not sent' : 'Sending…'}
                    {m.state === 'failed' && (
                      <Button size="compact-xs" variant="subtle" ml={4} onClick={() => client.retry(m.clientMsgId)}>
                        Retry
                      </Button>
                    )}
                  </Text>
                )}
              </Box>
            );
          })}
          {chat.writing && (
            // The AI's answer while it is being written; the stored message replaces it.
            <Box data-testid="widget-answer-writing" style={{ alignSelf: 'flex-start', maxWidth: '85%' }}>
              <Text size="xs" c="dimmed">
                AI assistant
              </Text>
              <Box
                px="sm"
                py={6}
                style={{
                  borderRadius: 12,
                  whiteSpace: 'pre-wrap',
                  overflowWrap: 'anywhere',
                  background: 'var(--mantine-color-gray-1)',
                }}
              >
                <Text size="sm">{chat.writing}▍</Text>
              </Box>
            </Box>
          )}
          {typingCount > 0 && !chat.writing && (
            <Text size="xs" c="dimmed" fs="italic" data-testid="widget-typing">
              {[...new Set(chat.typing.map(chat.nameOf))].join(', ')} is typing…
            </Text>
          )}
        </Stack>
      </ScrollArea>
      {chat.support?.status === 'resolved' && conversationId && (
        <Csat client={client} conversationId={conversationId} />
      )}
      <WidgetComposer
        client={client}
        conversationId={conversationId}
        status={chat.support?.status}
        onStart={async () => {
          const id = await startConversation(params, client);
          setConversationId(id);
          return id;
        }}
      />
    </>
  );
}

function Csat({ client, conversationId }: { client: SwitchboardClient; conversationId: string }) {
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (sent)
    return (
      <Text size="sm" ta="center" py="xs" data-testid="csat-thanks">
        Thanks for your rating ({sent}/5)!
      </Text>
    );
  return (
    <Box px="md" py="xs" data-testid="csat" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
      <Text size="sm" ta="center">
        How did we do?
      </Text>
      <Group justify="center" gap={6} mt={4} role="group" aria-label="Rate this conversation from 1 to 5">
        {[1, 2, 3, 4, 5].map((n) => (
          <Button
            key={n}
            size="compact-sm"
            variant="light"
            aria-label={`${n} out of 5`}
            onClick={() =>
              client.api.support
                .csat(conversationId, n)
                .then(() => setSent(n))
                .catch(() => setError('Your rating could not be sent. Try again.'))
            }
          >
            {'★'.repeat(n)}
          </Button>
        ))}
      </Group>
      {error && (
        <Text size="xs" c="red" ta="center">
          {error}
        </Text>
      )}
    </Box>
  );
}

function WidgetComposer(props: {
  client: SwitchboardClient;
  conversationId: string | null;
  status: string | undefined;
  onStart(): Promise<string>;
}) {
  const { client, conversationId, status } = props;
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const send = async () => {
    const body = text.trim();
    if (!body || starting) return;
    setError(null);
    let id = conversationId;
    if (!id) {
      setStarting(true);
      try {
        id = await props.onStart();
      } catch {
        setError('The chat could not be started. Try again.');
        return;
      } finally {
        setStarting(false);
      }
    }
    client.send(id, body);
    client.typing.stop(id);
    setText('');
  };

  const canAskPerson = conversationId && status && !['human_requested', 'human_active', 'resolved'].includes(status);
  return (
    <Box p="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
      {error && (
        <Text size="xs" c="red" mb={4}>
          {error}
        </Text>
      )}
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Textarea
          aria-label="Your message"
          placeholder="Type your question…"
          autosize
          minRows={1}
          maxRows={5}
          style={{ flex: 1 }}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            if (conversationId && e.currentTarget.value) client.typing.keystroke(conversationId);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        {conversationId && (
          <AttachButton client={client} conversationId={conversationId} text={text.trim()} onSent={() => setText('')} />
        )}
        <Button onClick={() => void send()} disabled={!text.trim()} loading={starting}>
          Send
        </Button>
      </Group>
      {canAskPerson && (
        <Button
          variant="subtle"
          size="compact-xs"
          mt={4}
          onClick={() => client.api.support.handoff(conversationId).catch(() => setError('Please try again.'))}
        >
          Talk to a person
        </Button>
      )}
    </Box>
  );
}
