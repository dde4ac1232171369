import { Paper, Stack, Text, UnstyledButton } from '@mantine/core';

/** A prepared text the composer offers after `/` (canned responses in the console), variables already filled. */
export interface Shortcut {
  shortcut: string;
  title: string;
  text: string;
}

/** The shortcuts matching what follows `/` when the composer holds only `/word`; none otherwise. */
export function matchingShortcuts(text: string, shortcuts: readonly Shortcut[]): Shortcut[] {
  const m = /^\/([a-z0-9_-]*)$/i.exec(text);
  if (!m) return [];
  const typed = (m[1] ?? '').toLowerCase();
  return shortcuts.filter((s) => s.shortcut.startsWith(typed)).slice(0, 6);
}

/** The list above the composer: ↑ ↓ choose, Enter or Tab inserts, a click inserts. */
export function ShortcutMenu(props: { items: Shortcut[]; selected: number; onPick(s: Shortcut): void }) {
  if (!props.items.length) return null;
  return (
    <Paper
      withBorder
      shadow="sm"
      mx="sm"
      mt="xs"
      p={4}
      role="listbox"
      aria-label="Canned responses"
      data-testid="shortcut-menu"
    >
      <Stack gap={2}>
        {props.items.map((s, i) => (
          <UnstyledButton
            key={s.shortcut}
            role="option"
            aria-selected={i === props.selected}
            onMouseDown={(e) => {
              // Keep the focus in the composer.
              e.preventDefault();
              props.onPick(s);
            }}
            px="xs"
            py={4}
            style={{
              borderRadius: 4,
              background: i === props.selected ? 'var(--mantine-color-blue-light)' : undefined,
            }}
          >
            <Text size="sm" fw={500}>
              /{s.shortcut} · {s.title}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {s.text}
            </Text>
          </UnstyledButton>
        ))}
      </Stack>
    </Paper>
  );
}
