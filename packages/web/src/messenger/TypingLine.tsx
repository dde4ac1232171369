import { Box, Text } from '@mantine/core';
import { usePresence } from '../hooks';

/**
 * "Ann is typing…" / "Ann and 2 more are typing…" (an empty line of the same height when nobody is). Names
 * come from `names` when given (a customer by the name they gave), else from presence.
 */
export function TypingLine(props: { userIds: string[]; names?: Record<string, string>; testId?: string }) {
  const first = props.userIds[0];
  const known = first ? props.names?.[first] : undefined;
  const looked = usePresence(known ? undefined : first).data?.username;
  if (!first) return <Box h={20} />;
  const name = known ?? looked ?? 'Someone';
  const who = props.userIds.length === 1 ? name : `${name} and ${props.userIds.length - 1} more`;
  return (
    <Text size="xs" c="dimmed" px="md" h={20} data-testid={props.testId ?? 'typing'} aria-live="polite">
      {who} {props.userIds.length === 1 ? 'is' : 'are'} typing…
    </Text>
  );
}
