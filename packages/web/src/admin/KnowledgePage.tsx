import {
  Badge,
  Box,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import type { Article } from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ago } from '../format';
import { useSession } from '../session';
import { type ArticleDraft, ArticleEditor } from './ArticleEditor';
import { DraftEdits } from './DraftEdits';
import { ImportArticles } from './ImportArticles';

type Editing = { article: Article | null } | null;

/** The knowledge base the assistant answers from: list, search, create, edit, publish, delete, import. */
export function KnowledgePage() {
  const { client } = useSession();
  const qc = useQueryClient();
  const kb = client.api.knowledge;
  const articles = useQuery({ queryKey: ['kb'], queryFn: () => kb.list() });
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Article | null>(null);
  const [importing, setImporting] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ['kb'] });

  const save = useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ArticleDraft }) => (id ? kb.update(id, body) : kb.create(body)),
    onSuccess: () => {
      setEditing(null);
      return refresh();
    },
  });
  const publish = useMutation({
    mutationFn: ({ id, published }: { id: string; published: boolean }) => kb.update(id, { published }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => kb.remove(id),
    onSuccess: () => {
      setDeleting(null);
      return refresh();
    },
  });

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = articles.data?.items ?? [];
    const hits = q
      ? all.filter((a) => a.title.toLowerCase().includes(q) || a.topics.some((t) => t.toLowerCase().includes(q)))
      : all;
    return [...hits].sort((a, b) => b.updatedAt - a.updatedAt);
  }, [articles.data, filter]);
  const total = articles.data?.items.length ?? 0;
  const live = articles.data?.items.filter((a) => a.published).length ?? 0;

  return (
    <Box h="100%" style={{ overflowY: 'auto' }}>
      <Stack p="lg" data-testid="admin-knowledge">
        <Group justify="space-between">
          <div>
            <Title order={2}>Knowledge base</Title>
            <Text size="sm" c="dimmed">
              {total} articles, {live} published. The assistant answers customers from published articles only.
            </Text>
          </div>
          <Group>
            <Button variant="default" onClick={() => setImporting(true)} data-testid="import-articles">
              Import
            </Button>
            <Button onClick={() => setEditing({ article: null })} data-testid="new-article">
              New article
            </Button>
          </Group>
        </Group>
        <TextInput
          placeholder="Filter by title or topic"
          aria-label="Filter articles"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          maw={360}
        />
        <DraftEdits
          onOpenArticle={(id) => {
            const article = articles.data?.items.find((a) => a.id === id);
            if (article) setEditing({ article });
          }}
        />
        {articles.isLoading && <Loader size="sm" />}
        {articles.error && <Text c="red">{articles.error.message}</Text>}
        {(publish.error || remove.error) && <Text c="red">{(publish.error ?? remove.error)?.message}</Text>}
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Title</Table.Th>
              <Table.Th>Topics</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Updated</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((a) => (
              <Table.Tr key={a.id} data-testid="article-row">
                <Table.Td maw={420}>
                  <Text size="sm" fw={500} lineClamp={2}>
                    {a.title}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {a.topics.map((t) => (
                      <Badge key={t} size="sm" variant="outline" color="gray" tt="none">
                        {t}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge color={a.published ? 'green' : 'gray'} variant="light" data-testid="article-state">
                    {a.published ? 'published' : 'draft'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {ago(a.updatedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <Button
                      size="compact-sm"
                      variant="light"
                      color={a.published ? 'gray' : 'green'}
                      onClick={() => publish.mutate({ id: a.id, published: !a.published })}
                      aria-label={`${a.published ? 'Unpublish' : 'Publish'} ${a.title}`}
                    >
                      {a.published ? 'Unpublish' : 'Publish'}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => setEditing({ article: a })}
                      aria-label={`Edit ${a.title}`}
                    >
                      Edit
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => setDeleting(a)}
                      aria-label={`Delete ${a.title}`}
                    >
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {articles.data && shown.length === 0 && (
          <Text c="dimmed" ta="center" py="lg">
            {total ? 'No article matches the filter.' : 'No articles yet: write one or import a file.'}
          </Text>
        )}
        <ArticleEditor
          opened={editing !== null}
          article={editing?.article ?? null}
          saving={save.isPending}
          error={save.error?.message ?? null}
          onClose={() => {
            setEditing(null);
            save.reset();
          }}
          onSave={(body) => save.mutate({ id: editing?.article?.id, body })}
        />
        <ImportArticles opened={importing} onClose={() => setImporting(false)} />
        <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete article?">
          <Stack>
            <Text size="sm">
              “{deleting?.title}” will be removed from the knowledge base. The assistant stops using it at once.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                Cancel
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() => deleting && remove.mutate(deleting.id)}
                data-testid="confirm-delete"
              >
                Delete
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Stack>
    </Box>
  );
}
