import { Button, Card, Collapse, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';

/**
 * Drafts agents edited before sending: each one a hint that the quoted article is missing something or says
 * it badly. Offered for review only — opening the article is the admin's decision; nothing changes by itself.
 */
export function DraftEdits(props: { onOpenArticle(articleId: string): void }) {
  const { client } = useSession();
  // Agents edit drafts all day: read afresh whenever the page opens.
  const edits = useQuery({
    queryKey: ['kb-edits'],
    queryFn: () => client.api.approvals.edits(),
    refetchOnMount: 'always',
  });
  const [open, setOpen] = useState(false);
  const items = edits.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Card withBorder padding="sm" data-testid="draft-edits">
      <Group justify="space-between">
        <div>
          <Text fw={600} size="sm">
            Suggested improvements: {items.length} draft{items.length === 1 ? '' : 's'} edited by agents
          </Text>
          <Text size="xs" c="dimmed">
            What the assistant proposed and what the agent sent instead. Consider updating the article.
          </Text>
        </div>
        <Button size="compact-sm" variant="light" onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide' : 'Review'}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <Stack gap="sm" mt="sm">
          {items.map((e) => (
            <Stack key={e.approvalId} gap={2} data-testid="draft-edit">
              <Text size="sm" fw={500}>
                “{e.question}”{e.articleTitle ? ` — ${e.articleTitle}` : ''}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={3}>
                Proposed: {e.draft}
              </Text>
              <Text size="xs" lineClamp={4}>
                Sent: {e.finalText}
              </Text>
              {e.articleId && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  w="fit-content"
                  onClick={() => e.articleId && props.onOpenArticle(e.articleId)}
                >
                  Open article
                </Button>
              )}
            </Stack>
          ))}
        </Stack>
      </Collapse>
    </Card>
  );
}
