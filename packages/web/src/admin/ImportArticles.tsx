import { Button, FileInput, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';
import { type ParsedImport, parseImportFiles } from './import-articles';

/** Import a JSON list of articles or markdown files (one article each); checked here, then sent in one request. */
export function ImportArticles({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const [parsed, setParsed] = useState<ParsedImport | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const run = useMutation({
    mutationFn: async () => {
      if (!parsed?.ok) throw new Error('nothing to import');
      return client.api.knowledge.import(parsed.body);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
  const pick = async (picked: File[]) => {
    setFiles(picked);
    run.reset();
    setParsed(
      picked.length
        ? parseImportFiles(await Promise.all(picked.map(async (f) => ({ name: f.name, text: await f.text() }))))
        : null,
    );
  };
  const close = () => {
    setFiles([]);
    setParsed(null);
    run.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Import articles" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          A JSON file with a list of articles (<code>title</code>, <code>body</code>, optional <code>topics</code>,{' '}
          <code>published</code>, <code>externalId</code>), or markdown files: the first <code># heading</code> is the
          title. Importing the same files again updates those articles.
        </Text>
        <FileInput
          label="Files"
          placeholder="Choose .json or .md files"
          multiple
          accept=".json,.md,.markdown,application/json,text/markdown"
          value={files}
          onChange={(f) => void pick(f)}
          data-testid="import-files"
          clearable
        />
        {parsed && !parsed.ok && (
          <Text c="red" size="sm" role="alert">
            {parsed.error}
          </Text>
        )}
        {parsed?.ok && !run.data && <Text size="sm">{parsed.count} article(s) ready to import.</Text>}
        {run.error && (
          <Text c="red" size="sm" role="alert">
            {run.error.message}
          </Text>
        )}
        {run.data && (
          <Text size="sm" c="green" role="status" data-testid="import-result">
            Imported: {run.data.created} created, {run.data.updated} updated.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {run.data ? 'Close' : 'Cancel'}
          </Button>
          {!run.data && (
            <Button
              disabled={!parsed?.ok}
              loading={run.isPending}
              onClick={() => run.mutate()}
              data-testid="run-import"
            >
              Import
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
