import { Box, Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { SearchHit } from '@switchboard/protocol';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useState } from 'react';
import { timeOf } from '../format';
import { useSession } from '../session';

/** A snippet with its matches (between `[` and `]`, as the server marks them) highlighted. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\[[^\]]*\])/g);
  return (
    <>
      {parts.map((p, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
        p.startsWith('[') && p.endsWith(']') ? <mark key={i}>{p.slice(1, -1)}</mark> : <Fragment key={i}>{p}</Fragment>,
      )}
    </>
  );
}

/**
 * Full-text search over messages: my conversations (`messenger`) or the org's support conversations
 * (`support`, staff, which also finds them by the customer's name or email). Results show under the box;
 * picking one opens its conversation. `describe` names a hit's conversation (as text, or an element that may
 * use hooks, e.g. the other member's name for a direct message); without it, its name or "Conversation".
 */
export function SearchBox(props: {
  scope: 'messenger' | 'support';
  onPick(hit: SearchHit): void;
  describe?: (hit: SearchHit) => ReactNode;
}) {
  const { client } = useSession();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const results = useQuery({
    queryKey: ['search', props.scope, debounced],
    enabled: debounced.length > 0,
    queryFn: () => client.api.search({ q: debounced, scope: props.scope }),
  });
  const items = results.data?.items ?? [];
  const label = props.scope === 'support' ? 'Search messages and customers' : 'Search messages';
  return (
    <Box pos="relative" px="xs" pb="xs">
      <TextInput
        size="xs"
        type="search"
        placeholder={label}
        aria-label={label}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Escape' && setQ('')}
        rightSection={results.isFetching ? <Loader size={12} /> : null}
        data-testid={`search-${props.scope}`}
      />
      {debounced && !results.isLoading && (
        <Paper
          withBorder
          shadow="md"
          mt={4}
          p={4}
          style={{ maxHeight: 360, overflowY: 'auto' }}
          data-testid="search-results"
        >
          {items.length === 0 ? (
            <Text size="xs" c="dimmed" p="xs">
              No messages match “{debounced}”.
            </Text>
          ) : (
            <Stack gap={2}>
              {items.map((hit) => (
                <UnstyledButton
                  key={`${hit.match}:${hit.messageId}`}
                  px="xs"
                  py={6}
                  style={{ borderRadius: 4 }}
                  data-testid="search-hit"
                  onClick={() => {
                    setQ('');
                    props.onPick(hit);
                  }}
                >
                  <Text size="xs" c="dimmed">
                    {hit.match === 'customer'
                      ? 'Customer'
                      : (props.describe?.(hit) ?? hit.conversationName ?? 'Conversation')}{' '}
                    · {timeOf(hit.createdAt)}
                  </Text>
                  <Text size="sm" lineClamp={2}>
                    <Snippet text={hit.snippet} />
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Box>
  );
}
