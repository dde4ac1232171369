import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../session';

const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The routing table from this org's own decided drafts: at each threshold, the share that would have been
 * sent without review and how many of those agents approved as is — to pick the threshold from real data.
 * `switchboard ai eval` prints the same table for a question file.
 */
export function DecisionThresholds(props: { current: number }) {
  const { client } = useSession();
  const table = useQuery({ queryKey: ['ai-thresholds'], queryFn: () => client.api.approvals.thresholds() });
  if (!table.data) return null;
  if (!table.data.decided)
    return (
      <Text size="xs" c="dimmed" data-testid="decision-thresholds-empty">
        No decided drafts yet: once agents approve, edit or reject drafts, this shows how each threshold would have done
        on them.
      </Text>
    );
  return (
    <div data-testid="decision-thresholds">
      <Text size="sm" fw={500}>
        Your team's decisions ({table.data.decided} drafts)
      </Text>
      <Text size="xs" c="dimmed" mb={4}>
        Approved as is counts as right; edited or rejected as wrong. Only drafts under the threshold of the day reach
        agents, so high thresholds rest on few drafts.
      </Text>
      <Table striped withTableBorder fz="xs" verticalSpacing={2}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Threshold</Table.Th>
            <Table.Th>Would be sent</Table.Th>
            <Table.Th>Approved as is</Table.Th>
            <Table.Th>Drafts</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.data.rows.map((r) => (
            <Table.Tr key={r.threshold} fw={Math.abs(r.threshold - props.current) < 0.001 ? 700 : undefined}>
              <Table.Td>{r.threshold.toFixed(2)}</Table.Td>
              <Table.Td>{pct(r.share)}</Table.Td>
              <Table.Td>{r.count ? pct(r.precision) : '—'}</Table.Td>
              <Table.Td>{r.count}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
