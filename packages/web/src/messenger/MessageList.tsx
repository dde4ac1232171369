import { Box, Center, Divider, Loader, Text } from '@mantine/core';
import type { ChatMessage } from '@switchboard/sdk';
import { useVirtualizer } from '@tanstack/react-virtual';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef } from 'react';
import { dayOf } from '../format';
import { MessageItem } from './MessageItem';

const GROUP_MS = 5 * 60_000;
/** Closer than this to the end counts as "at the bottom": new messages keep it there. */
const STICK_PX = 60;
/** Closer than this to the top loads the previous page of history. */
const LOAD_OLDER_PX = 400;
/** Height of the head above the first row: the beginning marker or the loader. */
const HEAD_PX = 48;

/** One row of the list: the messages, each knowing if it opens a day or a run of one sender. */
interface Row {
  m: ChatMessage;
  newDay: boolean;
  /** First of a run of one sender's messages within 5 minutes (a new day starts a new run). */
  first: boolean;
}

/** Day separators and sender runs for a list of messages in display order. */
export function toRows(messages: ChatMessage[]): Row[] {
  return messages.map((m, i) => {
    const prev = messages[i - 1];
    const newDay = !prev || dayOf(prev.createdAt) !== dayOf(m.createdAt);
    const first = newDay || !prev || prev.senderId !== m.senderId || m.createdAt - prev.createdAt > GROUP_MS;
    return { m, newDay, first };
  });
}

export interface MessageListHandle {
  /** Jump to the newest message and stick there again (after I send). */
  scrollToEnd(): void;
}

interface Props {
  messages: ChatMessage[];
  myId: string;
  group: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  loading: boolean;
  loadOlder(): void;
  readBy(m: ChatMessage): number;
  onReply(m: ChatMessage): void;
  onRetry(m: ChatMessage): void;
}

/**
 * The message list, virtualized: only the rows near the viewport are in the DOM, each measured as it renders.
 * It opens at the newest message, follows new ones while the user is at the bottom and stays put when they
 * scrolled away; older pages prepended above keep the visible message in place.
 */
export const MessageList = forwardRef<MessageListHandle, Props>(function MessageList(props, ref) {
  const { messages, loadingOlder, loading, loadOlder } = props;
  // The first message is already here (the SDK's store may hold more than the history pages): nothing older.
  const hasOlder = props.hasOlder && messages[0]?.seq !== 1;
  const scroller = useRef<HTMLDivElement>(null);
  /** The user is at the bottom: keep them there as content comes and grows. */
  const stick = useRef(true);
  const rows = useMemo(() => toRows(messages), [messages]);
  const byId = useMemo(() => new Map(messages.filter((m) => m.id).map((m) => [m.id as string, m])), [messages]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 56,
    getItemKey: (i) => rows[i]?.m.clientMsgId ?? i,
    // The head (beginning marker or loader) sits above the rows, outside the virtualized range.
    paddingStart: HEAD_PX,
    paddingEnd: 8,
    overscan: 8,
    // Chat scrolling, done by the library: older pages prepended above keep the visible message where it is
    // (it captures the row at the top before the data changes and restores it after), and new messages are
    // followed only while the reader is at the end.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: STICK_PX,
  });
  useImperativeHandle(
    ref,
    () => ({
      scrollToEnd: () => {
        stick.current = true;
        virtualizer.scrollToEnd();
      },
    }),
    [virtualizer],
  );

  // Open at the newest message once the first messages are there.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || rows.length === 0) return;
    opened.current = true;
    virtualizer.scrollToEnd();
  }, [rows.length, virtualizer]);

  // Belt and braces for the end anchor: while the user is at the bottom, any growth of the content (rows
  // measured, names and reactions loaded, fonts settled) keeps the newest message in view.
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(inner);
    // The viewport shrinks too (a banner above, the composer growing): the bottom stays in view.
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const maybeLoadOlder = () => {
    const el = scroller.current;
    if (!el || el.scrollTop >= LOAD_OLDER_PX || !hasOlder || loadingOlder || !opened.current) return;
    loadOlder();
  };
  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    maybeLoadOlder();
  };
  // A short first page may not fill the screen: there is no scroll event then, so check after each page too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-check when a page arrives
  useEffect(maybeLoadOlder, [rows.length, hasOlder, loadingOlder]);

  const atBeginning = !hasOlder && !loading;
  const items = virtualizer.getVirtualItems();
  return (
    <Box
      ref={scroller}
      onScroll={onScroll}
      style={{ flex: 1, overflowY: 'auto', overflowAnchor: 'none' }}
      data-testid="message-list"
      data-count={rows.length}
      role="log"
      aria-label="Messages"
      tabIndex={0}
    >
      <div ref={content} style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        <Center h={HEAD_PX} style={{ position: 'absolute', top: 0, left: 0, width: '100%' }}>
          {atBeginning ? (
            <Text size="xs" c="dimmed">
              This is the beginning of the conversation.
            </Text>
          ) : loading || loadingOlder ? (
            <Loader size="xs" aria-label="Loading messages" />
          ) : null}
        </Center>
        <div
          style={{
            position: 'absolute',
            top: 0,
            left: 0,
            width: '100%',
            transform: `translateY(${items[0]?.start ?? 0}px)`,
          }}
        >
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                data-testid="message-row"
                data-seq={row.m.seq ?? ''}
              >
                {row.newDay && (
                  <Divider
                    my="sm"
                    mx="md"
                    label={dayOf(row.m.createdAt)}
                    labelPosition="center"
                    data-testid="day-separator"
                  />
                )}
                <MessageItem
                  m={row.m}
                  mine={row.m.senderId === props.myId}
                  first={row.first}
                  readBy={props.readBy(row.m)}
                  group={props.group}
                  replyTo={row.m.replyToId ? byId.get(row.m.replyToId) : undefined}
                  onReply={() => props.onReply(row.m)}
                  onRetry={() => props.onRetry(row.m)}
                />
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
});
