import {
  Badge,
  Box,
  Center,
  Group,
  Kbd,
  Loader,
  ScrollArea,
  Stack,
  Switch,
  Tabs,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { Label, SupportInboxItem } from '@switchboard/protocol';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { plainText } from '../components/markdown';
import { StatusPicker } from '../components/Presence';
import { SearchBox } from '../components/SearchBox';
import { ago } from '../format';
import { useNow } from '../hooks';
import { useSession } from '../session';
import type { ApprovalActions, ApprovalMode } from './ApprovalCard';
import { useAssignmentAlert, useDesktopAlertsOptIn } from './assignment-alert';
import { CannedResponsesButton } from './CannedResponses';
import { type ConversationActions, ConversationPanel } from './ConversationPanel';
import { approvalOf, STATUS_LABEL, TABS, type TabId, useConsoleData } from './data';
import { applyFilter, type InboxFilter, InboxFilters, LabelBadges, NO_FILTER, useLabels } from './labels';
import { PastConversations } from './PastConversations';
import { TakeChatsSwitch } from './TakeChatsSwitch';

const SHORTCUTS: [string, string][] = [
  ['1–4', 'inbox tab'],
  ['J / K', 'next / previous'],
  ['C', 'claim draft'],
  ['A', 'approve'],
  ['E', 'edit'],
  ['R', 'reject'],
  ['T', 'take'],
  ['F', 'transfer'],
  ['D', 'resolve'],
  ['Esc', 'cancel'],
];

const typingInField = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * The agent console: the support inbox by status (needs approval, human requested, mine, all), live over the
 * socket; the selected conversation with its AI draft; my presence and load. Everything works from the
 * keyboard; the keys are listed at the bottom.
 */
export function ConsolePage() {
  const { lists, pending, load, inbox } = useConsoleData();
  const selected = useParams()['*'] || undefined;
  const navigate = useNavigate();
  const [tab, setTab] = useState<TabId>('approval');
  const [mode, setMode] = useState<ApprovalMode>('view');
  const approvalActions = useRef<ApprovalActions | null>(null);
  const conversationActions = useRef<ConversationActions | null>(null);
  const now = useNow();
  const labels = useLabels();
  const [filter, setFilter] = useState<InboxFilter>(NO_FILTER);
  const { user } = useSession();
  const list = applyFilter(lists[tab], filter, user.id);
  const item: SupportInboxItem | undefined = lists.all.find((i) => i.conversation.id === selected);
  const approval = approvalOf(pending, selected);
  const select = (id: string | undefined) => navigate(id ? `/console/${id}` : '/console');
  const desktop = useDesktopAlertsOptIn();
  const mineIds = useMemo(() => lists.mine.map((i) => i.conversation.id), [lists.mine]);
  useAssignmentAlert(mineIds, selected, desktop.on);

  // A new selection starts in view mode; the draft that was being edited is someone else's concern now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on every change of selection
  useEffect(() => setMode('view'), [selected, approval?.id]);
  // On a phone the list and the conversation are two screens: the list first, a back button on the other.
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  // Nothing selected yet: open the first item of the tab, so one key (A) can already act (not on a phone,
  // where that would hide the list).
  useEffect(() => {
    if (!phone && !selected && list[0]) select(list[0].conversation.id);
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.metaKey) return;
      const a = approvalActions.current;
      if (typingInField(e.target)) {
        if (e.key === 'Escape') {
          setMode('view');
          (e.target as HTMLElement).blur();
        } else if (mode === 'edit' && e.key === 'Enter' && e.ctrlKey) {
          e.preventDefault();
          a?.sendEdit();
        } else if (mode === 'reject' && e.key === 'Enter') {
          e.preventDefault();
          a?.sendReject();
        }
        return;
      }
      if (e.ctrlKey) return;
      const tabKey = TABS.find((t) => t.key === e.key);
      if (tabKey) {
        setTab(tabKey.id);
        return;
      }
      const at = list.findIndex((i) => i.conversation.id === selected);
      const k = e.key.toLowerCase();
      const acts: Record<string, (() => void) | undefined> = {
        j: () =>
          list[Math.min(at + 1, list.length - 1)] && select(list[Math.min(at + 1, list.length - 1)]?.conversation.id),
        k: () => at > 0 && select(list[at - 1]?.conversation.id),
        c: approval ? a?.claim : undefined,
        a: approval ? a?.approve : undefined,
        e: approval ? a?.startEdit : undefined,
        r: approval ? () => setMode('reject') : undefined,
        t: item ? conversationActions.current?.take : undefined,
        f: item ? conversationActions.current?.transfer : undefined,
        d: item ? conversationActions.current?.resolve : undefined,
        escape: () => setMode('view'),
      };
      const act = acts[k];
      if (act) {
        e.preventDefault();
        act();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <Stack h="100%" gap={0} data-testid="console">
      <Group
        justify="space-between"
        px="md"
        py="xs"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        <Text fw={600}>Agent console</Text>
        <Group gap="md" wrap="wrap" justify="flex-end">
          {load && (
            <Text size="sm" c={load.active >= load.capacity ? 'red' : 'dimmed'} data-testid="capacity">
              {load.active} of {load.capacity} conversations
            </Text>
          )}
          {desktop.supported && (
            <Switch
              size="xs"
              label="Desktop alerts"
              checked={desktop.on}
              onChange={(e) => void desktop.toggle(e.currentTarget.checked)}
              data-testid="desktop-alerts"
            />
          )}
          <TakeChatsSwitch />
          <CannedResponsesButton />
          <StatusPicker />
        </Group>
      </Group>
      <Group align="stretch" gap={0} wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Stack
          w={phone ? '100%' : 340}
          gap={0}
          display={phone && item ? 'none' : undefined}
          style={{ borderRight: '1px solid var(--mantine-color-default-border)', flex: 'none' }}
        >
          <Tabs value={tab} onChange={(v) => v && setTab(v as TabId)} variant="pills" p="xs">
            <Tabs.List grow>
              {TABS.map((t) => (
                <Tabs.Tab key={t.id} value={t.id} px={6} data-testid={`tab-${t.id}`}>
                  <Text size="xs" span>
                    {t.label}
                  </Text>{' '}
                  <Badge size="xs" variant="light" circle={lists[t.id].length < 10}>
                    {lists[t.id].length}
                  </Badge>
                </Tabs.Tab>
              ))}
            </Tabs.List>
          </Tabs>
          <SearchBox
            scope="support"
            describe={(hit) =>
              lists.all.find((i) => i.conversation.id === hit.conversationId)?.customer.displayName ??
              'Support conversation'
            }
            onPick={(hit) => {
              setTab('all');
              setFilter(NO_FILTER);
              select(hit.conversationId);
            }}
          />
          <InboxFilters value={filter} onChange={setFilter} labels={labels} />
          <ScrollArea style={{ flex: 1 }}>
            {inbox.isLoading && (
              <Center p="md">
                <Loader size="sm" />
              </Center>
            )}
            {!inbox.isLoading && list.length === 0 && (
              <Text c="dimmed" size="sm" p="md" ta="center">
                Nothing here right now.
              </Text>
            )}
            {list.map((i) => (
              <InboxRow
                key={i.conversation.id}
                item={i}
                active={i.conversation.id === selected}
                hasDraft={!!approvalOf(pending, i.conversation.id)}
                now={now}
                labels={labels}
                onClick={() => select(i.conversation.id)}
              />
            ))}
          </ScrollArea>
        </Stack>
        <Stack
          gap={0}
          display={phone && !item ? 'none' : undefined}
          style={{ flex: 1, minWidth: 0, overflow: 'hidden' }}
        >
          {phone && item && (
            <UnstyledButton px="md" py={6} onClick={() => select(undefined)} data-testid="console-back">
              <Text size="sm" c="blue">
                ← All conversations
              </Text>
            </UnstyledButton>
          )}
          {item && <PastConversations item={item} open={select} />}
          <Box style={{ flex: 1, minHeight: 0 }}>
            {item ? (
              <ConversationPanel
                key={item.conversation.id}
                item={item}
                approval={approval}
                mode={mode}
                setMode={setMode}
                bindApproval={(a) => {
                  approvalActions.current = a;
                }}
                bindConversation={(a) => {
                  conversationActions.current = a;
                }}
              />
            ) : (
              <Center h="100%">
                <Text c="dimmed">Pick a conversation on the left (J / K).</Text>
              </Center>
            )}
          </Box>
        </Stack>
      </Group>
      <Group
        gap="md"
        px="md"
        py={6}
        display={phone ? 'none' : undefined}
        style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
        data-testid="shortcuts"
      >
        {SHORTCUTS.map(([k, what]) => (
          <Text key={k} size="xs" c="dimmed">
            <Kbd size="xs">{k}</Kbd> {what}
          </Text>
        ))}
      </Group>
    </Stack>
  );
}

function InboxRow(props: {
  item: SupportInboxItem;
  active: boolean;
  hasDraft: boolean;
  now: number;
  labels: Label[];
  onClick(): void;
}) {
  const { item, active, hasDraft, now } = props;
  const status = STATUS_LABEL[item.status];
  return (
    <UnstyledButton
      onClick={props.onClick}
      w="100%"
      px="md"
      py="sm"
      data-testid="inbox-row"
      data-conversation={item.conversation.id}
      aria-current={active ? 'true' : undefined}
      style={{
        display: 'block',
        borderBottom: '1px solid var(--mantine-color-default-border)',
        background: active ? 'var(--mantine-color-blue-light)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={600} truncate>
          {item.customer.displayName}
        </Text>
        <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
          {ago(item.conversation.lastActivityAt, now)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" truncate>
        {item.lastMessage?.text ? plainText(item.lastMessage.text) : 'No messages yet'}
      </Text>
      <Group gap={4} mt={4}>
        <Badge size="xs" color={status.color} variant="light">
          {status.label}
        </Badge>
        {hasDraft && (
          <Badge size="xs" color="yellow">
            Draft to review
          </Badge>
        )}
        {item.queuePosition && (
          <Badge size="xs" variant="outline">
            #{item.queuePosition}
          </Badge>
        )}
        <LabelBadges ids={item.labels} labels={props.labels} />
      </Group>
    </UnstyledButton>
  );
}
