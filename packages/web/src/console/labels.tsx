import { Badge, MultiSelect, Select, SimpleGrid } from '@mantine/core';
import type { Label, SupportInboxItem, SupportStatus } from '@switchboard/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../session';
import { STATUS_LABEL } from './data';

/** The org's labels (a conversation's own labels come with the inbox, refreshed by `useConsoleData`). */
export function useLabels(): Label[] {
  const { client } = useSession();
  return useQuery({ queryKey: ['console', 'labels'], queryFn: () => client.api.labels.list() }).data ?? [];
}

/** What the list is narrowed to, on top of the tab. */
export interface InboxFilter {
  label: string | null;
  status: SupportStatus | null;
  assignee: string | null;
  channel: 'widget' | 'account' | null;
}
export const NO_FILTER: InboxFilter = { label: null, status: null, assignee: null, channel: null };

export function applyFilter(items: SupportInboxItem[], f: InboxFilter, me: string): SupportInboxItem[] {
  return items.filter(
    (i) =>
      (!f.label || i.labels.includes(f.label)) &&
      (!f.status || i.status === f.status) &&
      (!f.assignee ||
        (f.assignee === 'me'
          ? i.assignedTo === me
          : f.assignee === 'unassigned'
            ? !i.assignedTo
            : i.assignedTo === f.assignee)) &&
      (!f.channel || (f.channel === 'widget') === (i.customer.kind === 'visitor')),
  );
}

/** Label, status, assignee and channel pickers above the inbox list. */
export function InboxFilters(props: { value: InboxFilter; onChange(f: InboxFilter): void; labels: Label[] }) {
  const { value, onChange } = props;
  const set = (patch: Partial<InboxFilter>) => onChange({ ...value, ...patch });
  return (
    <SimpleGrid cols={2} spacing={6} verticalSpacing={6} px="xs" pb="xs" data-testid="inbox-filters">
      <FilterSelect
        placeholder="Label"
        data={props.labels.map((l) => ({ value: l.id, label: l.name }))}
        value={value.label}
        onChange={(v) => set({ label: v })}
      />
      <FilterSelect
        placeholder="Status"
        data={Object.entries(STATUS_LABEL).map(([v, s]) => ({ value: v, label: s.label }))}
        value={value.status}
        onChange={(v) => set({ status: v as SupportStatus | null })}
      />
      <FilterSelect
        placeholder="Assignee"
        data={[
          { value: 'me', label: 'Me' },
          { value: 'unassigned', label: 'Nobody' },
        ]}
        value={value.assignee}
        onChange={(v) => set({ assignee: v })}
      />
      <FilterSelect
        placeholder="Channel"
        data={[
          { value: 'widget', label: 'Website widget' },
          { value: 'account', label: 'Customer account' },
        ]}
        value={value.channel}
        onChange={(v) => set({ channel: v as InboxFilter['channel'] })}
      />
    </SimpleGrid>
  );
}

/** One clearable filter of the grid, labelled for screen readers by what it filters. */
function FilterSelect(props: {
  placeholder: string;
  data: { value: string; label: string }[];
  value: string | null;
  onChange(v: string | null): void;
}) {
  return (
    <Select
      size="xs"
      clearable
      aria-label={`Filter by ${props.placeholder.toLowerCase()}`}
      placeholder={props.placeholder}
      data={props.data}
      value={props.value}
      onChange={props.onChange}
    />
  );
}

/** A conversation's labels as small coloured badges. */
export function LabelBadges({ ids, labels }: { ids: string[]; labels: Label[] }) {
  return (
    <>
      {ids.map((id) => {
        const l = labels.find((x) => x.id === id);
        return l ? (
          <Badge key={id} size="xs" color={l.color} variant="dot" data-testid="label-badge">
            {l.name}
          </Badge>
        ) : null;
      })}
    </>
  );
}

/** Put labels on the open conversation and take them off. */
export function LabelPicker({ item, labels }: { item: SupportInboxItem; labels: Label[] }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const id = item.conversation.id;
  return (
    <MultiSelect
      size="xs"
      mt="xs"
      placeholder={labels.length ? 'Add a label' : 'No labels yet (supervisors add them)'}
      aria-label="Labels"
      data={labels.map((l) => ({ value: l.id, label: l.name }))}
      value={item.labels}
      searchable
      onChange={(next) => {
        const added = next.filter((l) => !item.labels.includes(l));
        const removed = item.labels.filter((l) => !next.includes(l));
        void Promise.all([
          ...added.map((l) => client.api.support.addLabel(id, l)),
          ...removed.map((l) => client.api.support.removeLabel(id, l)),
        ]).then(() => qc.invalidateQueries({ queryKey: ['console', 'inbox'] }));
      }}
      data-testid="label-picker"
    />
  );
}
