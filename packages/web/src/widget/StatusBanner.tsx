import { Box, Text } from '@mantine/core';
import type { SupportHours } from '@switchboard/protocol';
import { formatOpening } from './SupportHours';
import type { SupportView } from './useSupportChat';

/** The conversation's contact-center status in words the customer understands, announced to screen readers. */
export function StatusBanner({
  support,
  names,
  hours,
}: {
  support: SupportView | null;
  names: Record<string, string>;
  hours?: SupportHours | null;
}) {
  const status = support?.status ?? 'ai_active';
  // Asking for a person outside business hours: say when one will answer rather than leave them waiting.
  const away =
    hours && !hours.open
      ? hours.nextOpenAt
        ? `from ${formatOpening(hours.nextOpenAt)}`
        : "as soon as we're back"
      : null;
  const agent = support?.assignedTo ? names[support.assignedTo] : undefined;
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
    human_active: { text: `${agent ?? 'An agent'} joined the chat`, color: 'green' },
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
