import { Box, Text } from '@mantine/core';
import type { SupportHours } from '@switchboard/protocol';
import { formatOpening } from './SupportHours';
import type { SupportView } from './useSupportChat';

/**
 * Whether the assigned person is really there: they answered, or my messages show as read (their console
 * has the conversation open). Being assigned alone is not enough to say "joined".
 */
export function agentIsHere(
  messages: readonly { senderId: string; state: string }[],
  assignedTo: string | null | undefined,
  me: string,
): boolean {
  if (!assignedTo) return false;
  return messages.some(
    (m) => (m.senderId === assignedTo && m.senderId !== me) || (m.senderId === me && m.state === 'read'),
  );
}

/** The conversation's contact-center status in words the customer understands, announced to screen readers. */
export function StatusBanner({
  support,
  nameOf,
  hours,
  agentHere = true,
}: {
  support: SupportView | null;
  nameOf: (userId: string) => string;
  hours?: SupportHours | null;
  /** The assigned person has opened the conversation (read my messages) or answered: only then "joined". */
  agentHere?: boolean;
}) {
  const status = support?.status ?? 'ai_active';
  // Asking for a person outside business hours: say when one will answer rather than leave them waiting.
  const away =
    hours && !hours.open
      ? hours.nextOpenAt
        ? `from ${formatOpening(hours.nextOpenAt)}`
        : "as soon as we're back"
      : null;
  const agent = support?.assignedTo ? nameOf(support.assignedTo) : undefined;
  const line: Record<typeof status, { text: string; color: string }> = {
    ai_active: { text: 'Our AI assistant answers right away', color: 'gray' },
    pending_approval: { text: support?.notice ?? 'An agent is reviewing your answer', color: 'yellow' },
    human_requested: {
      text: away
        ? `Our team is away — a person will answer ${away}`
        : support?.queuePosition
          ? `Waiting for an agent — you are number ${support.queuePosition} in the queue`
          : 'Waiting for an agent',
      color: 'orange',
    },
    human_active: agentHere
      ? { text: `${agent ?? 'An agent'} joined the chat`, color: 'green' }
      : { text: 'A person will be with you in a moment', color: 'orange' },
    resolved: { text: 'This conversation is resolved', color: 'gray' },
  };
  const { text, color } = line[status];
  return (
    <Box
      px="md"
      py={6}
      role="status"
      aria-live="polite"
      data-testid="widget-status"
      data-status={status}
      style={{ background: `var(--mantine-color-${color}-light)` }}
    >
      <Text size="xs" c={`var(--mantine-color-${color}-light-color)`}>
        {text}
      </Text>
    </Box>
  );
}
