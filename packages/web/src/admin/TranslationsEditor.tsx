import { ActionIcon, Button, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { ArticleTranslation } from '@switchboard/protocol';

/**
 * An article's translations: one card per language (tag, title, markdown body). A question asked in that
 * language finds the translation, and the built-in answer quotes it.
 */
export function TranslationsEditor(props: { value: ArticleTranslation[]; onChange(next: ArticleTranslation[]): void }) {
  const { value, onChange } = props;
  const set = (i: number, patch: Partial<ArticleTranslation>) =>
    onChange(value.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <Stack gap="xs" data-testid="article-translations">
      <Group justify="space-between">
        <div>
          <Text size="sm" fw={500}>
            Translations
          </Text>
          <Text size="xs" c="dimmed">
            The same help in other languages: customers asking in a language get its translation
          </Text>
        </div>
        <Button
          size="xs"
          variant="light"
          onClick={() => onChange([...value, { lang: '', title: '', body: '' }])}
          disabled={value.length >= 30}
        >
          Add translation
        </Button>
      </Group>
      {value.map((t, i) => (
        // Index keys: a card is identified by its place while its language tag is being typed.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Paper withBorder p="sm" key={i}>
          <Stack gap="xs">
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                label="Language"
                placeholder="de, fr, pt-BR"
                w={130}
                value={t.lang}
                onChange={(e) => set(i, { lang: e.currentTarget.value.trim() })}
                maxLength={16}
              />
              <TextInput
                label="Title"
                style={{ flex: 1 }}
                value={t.title}
                onChange={(e) => set(i, { title: e.currentTarget.value })}
                maxLength={300}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove the ${t.lang || 'new'} translation`}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
                mb={4}
              >
                ✕
              </ActionIcon>
            </Group>
            <Textarea
              label="Body (markdown)"
              autosize
              minRows={3}
              maxRows={12}
              value={t.body}
              onChange={(e) => set(i, { body: e.currentTarget.value })}
            />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

/** Whether every translation is complete (language, title and body given). */
export const translationsReady = (list: ArticleTranslation[]) =>
  list.every((t) => t.lang.trim() && t.title.trim() && t.body.trim());
