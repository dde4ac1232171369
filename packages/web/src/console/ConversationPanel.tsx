import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Kbd,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import type { Approval, SupportInboxItem, SupportNote } from '@switchboard/protocol';
import type { ChatMessage } from '@switchboard/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Markdown } from '../components/Markdown';
import { timeOf } from '../format';
import { Attachments } from '../messenger/Attachments';
import { Composer } from '../messenger/Composer';
import { useTyping } from '../messenger/data';
import { TypingLine } from '../messenger/TypingLine';
import { useSession } from '../session';
import { type ApprovalActions, ApprovalCard, type ApprovalMode } from './ApprovalCard';
import { useCannedShortcuts } from './CannedResponses';
import { CopilotPanel } from './CopilotPanel';
import { STATUS_LABEL, useName, useSupportMessages } from './data';
import { LabelPicker, useLabels } from './labels';
import { NoteComposer, NoteItem, useNotes } from './notes';
import { useMarkRead } from './useMarkRead';

export interface ConversationActions {
  take(): void;
  resolve(): void;
  transfer(): void;
}

/**
 * One support conversation in the console: who the customer is, its status and assignee, the pending AI
 * draft (if any), the history, and — once it is mine — a composer. Take (T), transfer (F) and resolve (D).
 */
export function ConversationPanel(props: {
  item: SupportInboxItem;
  approval: Approval | undefined;
  mode: ApprovalMode;
  setMode(m: ApprovalMode): void;
  bindApproval(a: ApprovalActions): void;
  bindConversation(a: ConversationActions): void;
}) {
  const { item, approval } = props;
  const { client, user } = useSession();
  const qc = useQueryClient();
  const id = item.conversation.id;
  const member = item.conversation.members.some((m) => m.userId === user.id);
  const mine = item.assignedTo === user.id && item.status === 'human_active';
  const messages = useSupportMessages(id, member);
  const notes = useNotes(id);
  const shortcuts = useCannedShortcuts(item);
  const labels = useLabels();
  const [writing, setWriting] = useState<'reply' | 'note'>('reply');
  useMarkRead(
    client,
    id,
    messages.reduce((max, m) => Math.max(max, m.seq ?? 0), 0),
    member,
  );
  const typing = useTyping(id);
  const assignee = useName(item.assignedTo);
  const [error, setError] = useState<string | null>(null);
  const [transferring, setTransferring] = useState(false);
  const viewport = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the newest message as the list grows
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [messages.length, notes.length, id]);

  const run = (what: () => Promise<unknown>) =>
    what()
      .then(() => qc.invalidateQueries({ queryKey: ['console'] }))
      .catch((err) => setError(err instanceof Error ? err.message : 'That did not work'));
  const actions: ConversationActions = {
    take: () => void run(() => client.api.support.take(id)),
    resolve: () => void run(() => client.api.support.resolve(id)),
    transfer: () => setTransferring(true),
  };
  props.bindConversation(actions);
  const status = STATUS_LABEL[item.status];

  return (
    <Stack h="100%" gap={0} data-testid="conversation-panel" data-conversation={id}>
      <Box p="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={600} data-testid="customer-name">
              {item.customer.displayName}
            </Text>
            <Text size="xs" c="dimmed">
              {item.customer.kind === 'visitor' ? 'Website visitor' : 'Customer account'}
              {item.customer.email ? ` · ${item.customer.email}` : ''} · started {timeOf(item.conversation.createdAt)}
            </Text>
          </div>
          <Group gap="xs">
            <Badge color={status.color} data-testid="conversation-status">
              {status.label}
            </Badge>
            {item.queuePosition && <Badge variant="outline">#{item.queuePosition} in queue</Badge>}
            {item.assignedTo && (
              <Badge variant="light" color="gray">
                {item.assignedTo === user.id ? 'Assigned to you' : `Assigned to ${assignee ?? 'an agent'}`}
              </Badge>
            )}
          </Group>
        </Group>
        <Group gap="xs" mt="sm">
          {!mine && item.status !== 'resolved' && (
            <Button size="xs" onClick={actions.take}>
              Take <Kbd ml={6}>T</Kbd>
            </Button>
          )}
          {item.status !== 'resolved' && (
            <Button size="xs" variant="light" onClick={actions.transfer}>
              Transfer <Kbd ml={6}>F</Kbd>
            </Button>
          )}
          {item.status !== 'resolved' ? (
            <Button size="xs" variant="light" color="gray" onClick={actions.resolve}>
              Resolve <Kbd ml={6}>D</Kbd>
            </Button>
          ) : (
            <Button size="xs" variant="light" onClick={() => void run(() => client.api.support.reopen(id))}>
              Reopen
            </Button>
          )}
        </Group>
        <LabelPicker item={item} labels={labels} />
        {transferring && <TransferPicker conversationId={id} onDone={() => setTransferring(false)} />}
        {error && (
          <Alert color="red" py={6} mt="xs">
            {error}
          </Alert>
        )}
      </Box>
      {/* The draft stays in view (the history below scrolls to its end); a long one scrolls on its own. */}
      {approval && (
        <Box p="md" pb="xs" style={{ flex: 'none', maxHeight: '60%', overflowY: 'auto' }}>
          <ApprovalCard approval={approval} mode={props.mode} setMode={props.setMode} bind={props.bindApproval} />
        </Box>
      )}
      {item.status !== 'resolved' && <CopilotPanel conversationId={id} canSend={mine && member} />}
      <ScrollArea style={{ flex: 1, minHeight: 0 }} viewportRef={viewport} p="md">
        <Stack gap="xs" data-testid="console-messages">
          {timeline(messages, notes).map((entry) => {
            if ('kind' in entry) return <NoteItem key={entry.id} note={entry} />;
            const m = entry;
            const fromCustomer = m.senderId === item.customer.id;
            return (
              <Box
                key={m.clientMsgId}
                style={{ alignSelf: fromCustomer ? 'flex-start' : 'flex-end', maxWidth: '80%' }}
                data-testid="console-message"
              >
                <Sender
                  id={m.senderId}
                  customer={fromCustomer ? item.customer.displayName : undefined}
                  at={m.createdAt}
                />
                <Text
                  size="sm"
                  component="div"
                  px="sm"
                  py={6}
                  style={{
                    whiteSpace: 'pre-wrap',
                    overflowWrap: 'anywhere',
                    borderRadius: 10,
                    background: fromCustomer ? 'var(--mantine-color-gray-light)' : 'var(--mantine-color-blue-light)',
                  }}
                >
                  {m.deletedAt ? 'Message deleted' : <Markdown text={m.text ?? ''} />}
                  <Attachments m={m} client={client} />
                </Text>
              </Box>
            );
          })}
        </Stack>
      </ScrollArea>
      {member && (
        <TypingLine
          userIds={typing}
          names={{ [item.customer.id]: item.customer.displayName }}
          testId="console-typing"
        />
      )}
      {mine && member && (
        <Group px="sm" pt={6} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <SegmentedControl
            size="xs"
            value={writing}
            onChange={(v) => setWriting(v as 'reply' | 'note')}
            data={[
              { value: 'reply', label: 'Reply to customer' },
              { value: 'note', label: 'Private note' },
            ]}
            data-testid="composer-mode"
          />
        </Group>
      )}
      {mine && member && writing === 'reply' ? (
        <Composer conversationId={id} replyTo={null} onCancelReply={() => {}} onSent={() => {}} shortcuts={shortcuts} />
      ) : (
        <>
          {!(mine && member) && (
            <Text
              size="xs"
              c="dimmed"
              pt="xs"
              ta="center"
              style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
            >
              Take the conversation to reply to the customer. Notes are for the team only.
            </Text>
          )}
          <NoteComposer conversationId={id} />
        </>
      )}
    </Stack>
  );
}

/** Messages and notes in one timeline, by time (messages keep their sequence order among themselves). */
function timeline(messages: ChatMessage[], notes: SupportNote[]): (ChatMessage | SupportNote)[] {
  const out: (ChatMessage | SupportNote)[] = [];
  let n = 0;
  for (const m of messages) {
    while (n < notes.length && (notes[n] as SupportNote).createdAt < m.createdAt) out.push(notes[n++] as SupportNote);
    out.push(m);
  }
  return [...out, ...notes.slice(n)];
}

function Sender({ id, customer, at }: { id: string; customer?: string; at: number }) {
  const name = useName(customer ? undefined : id);
  return (
    <Text size="xs" c="dimmed">
      {customer ?? name ?? 'Staff'} · {timeOf(at)}
    </Text>
  );
}

/** Colleagues to hand the conversation to: the org's staff directory, each with their presence now. */
function TransferPicker({ conversationId, onDone }: { conversationId: string; onDone(): void }) {
  const { client, user } = useSession();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const people = useQuery({
    queryKey: ['console', 'colleagues'],
    queryFn: async () => {
      const [{ items }, online] = await Promise.all([
        client.api.users.directory({ limit: 200 }),
        client.presence.list().catch(() => []),
      ]);
      const status = new Map(online.map((p) => [p.userId, p.status]));
      return items.map((u) => ({
        value: u.id,
        label: `${u.displayName} (${u.role}, ${status.get(u.id) ?? 'offline'})`,
      }));
    },
  });
  const options = (people.data ?? []).filter((o) => o.value !== user.id);
  return (
    <Group gap="xs" mt="xs" align="flex-end">
      <Select
        label="Transfer to"
        placeholder={people.isLoading ? 'Loading…' : 'Pick a colleague'}
        data={options}
        searchable
        autoFocus
        onChange={(agentId) => {
          if (!agentId) return;
          client.api.support
            .transfer(conversationId, agentId)
            .then(() => qc.invalidateQueries({ queryKey: ['console'] }))
            .then(onDone)
            .catch((err) => setError(err instanceof Error ? err.message : 'Transfer failed'));
        }}
        data-testid="transfer-select"
        w={260}
      />
      <Button variant="subtle" size="xs" onClick={onDone}>
        Cancel
      </Button>
      {error && (
        <Text c="red" size="xs">
          {error}
        </Text>
      )}
    </Group>
  );
}
