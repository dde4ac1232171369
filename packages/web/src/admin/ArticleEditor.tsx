import { Button, Group, Modal, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import type { Article, ArticleTranslation, CreateArticle } from '@switchboard/protocol';

/** What the editor saves: an article's fields, and for an existing one its learned phrasings (to curate). */
export type ArticleDraft = CreateArticle & { phrasings?: string[] };

import { useState } from 'react';
import { TranslationsEditor, translationsReady } from './TranslationsEditor';

/** Create or edit one article: title, topics, markdown body, published. */
export function ArticleEditor(props: {
  article: Article | null;
  opened: boolean;
  saving: boolean;
  error: string | null;
  onClose(): void;
  onSave(body: ArticleDraft): void;
}) {
  const { article } = props;
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={article ? 'Edit article' : 'New article'}
      size="xl"
      data-testid="article-editor"
    >
      {/* Keyed so that each opening starts from the article as stored. */}
      <EditorForm key={article?.id ?? 'new'} {...props} />
    </Modal>
  );
}

function EditorForm({ article, saving, error, onSave, onClose }: Parameters<typeof ArticleEditor>[0]) {
  const [title, setTitle] = useState(article?.title ?? '');
  const [topics, setTopics] = useState<string[]>(article?.topics ?? []);
  const [body, setBody] = useState(article?.body ?? '');
  const [published, setPublished] = useState(article?.published ?? false);
  const [phrasings, setPhrasings] = useState<string[]>(article?.phrasings ?? []);
  const [translations, setTranslations] = useState<ArticleTranslation[]>(article?.translations ?? []);
  const ready = title.trim().length > 0 && body.trim().length > 0 && translationsReady(translations);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (ready)
          onSave({ title: title.trim(), topics, body, published, translations, ...(article ? { phrasings } : {}) });
      }}
    >
      <Stack>
        <TextInput
          label="Title"
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={300}
        />
        <TagsInput
          label="Topics"
          placeholder="Add a topic"
          description="Press Enter after each topic"
          value={topics}
          onChange={setTopics}
          maxTags={20}
        />
        <Textarea
          label="Body (markdown)"
          required
          autosize
          minRows={8}
          maxRows={20}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
        <TranslationsEditor value={translations} onChange={setTranslations} />
        {article && (
          <TagsInput
            label="Learned questions"
            description="Customer questions this article answered, learned from approved drafts; remove the wrong ones"
            placeholder="Add a question"
            value={phrasings}
            onChange={setPhrasings}
            maxTags={200}
            data-testid="article-phrasings"
          />
        )}
        <Switch
          label="Published (the assistant answers from published articles only)"
          checked={published}
          onChange={(e) => setPublished(e.currentTarget.checked)}
        />
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} disabled={!ready} data-testid="save-article">
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
