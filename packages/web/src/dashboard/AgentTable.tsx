import { Badge, Card, Table, Text } from '@mantine/core';
import type { DashboardAgent } from '@switchboard/protocol';

/** Agents online now and everyone who handled conversations in the period, with their current load. */
export function AgentTable({ agents, active }: { agents: DashboardAgent[]; active: number }) {
  return (
    <Card withBorder padding="sm" data-testid="agent-table">
      <Text size="sm" fw={600} mb="xs">
        Agents · {active} online now
      </Text>
      {agents.length === 0 ? (
        <Text size="sm" c="dimmed">
          No agent online or active in this period.
        </Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Agent</Table.Th>
              <Table.Th>Now</Table.Th>
              <Table.Th ta="right">Load</Table.Th>
              <Table.Th ta="right">Handled</Table.Th>
              <Table.Th ta="right">Resolved</Table.Th>
              <Table.Th ta="right">CSAT</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {agents.map((a) => (
              <Table.Tr key={a.userId}>
                <Table.Td>{a.name}</Table.Td>
                <Table.Td>
                  <Badge color={a.online ? 'teal' : 'gray'} variant="light">
                    {a.online ? 'online' : 'offline'}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{a.load}</Table.Td>
                <Table.Td ta="right">{a.handled}</Table.Td>
                <Table.Td ta="right">{a.resolved}</Table.Td>
                <Table.Td ta="right">{a.csatAverage === null ? '—' : a.csatAverage.toFixed(2)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
