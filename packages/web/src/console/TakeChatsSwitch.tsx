import { Switch } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../session';

/**
 * Supervisors and admins: take chats from the human queue or not (off until they switch it on; agents always
 * take them, so they see no switch).
 */
export function TakeChatsSwitch() {
  const { client, user } = useSession();
  const qc = useQueryClient();
  const routing = useQuery({
    queryKey: ['console', 'routing'],
    queryFn: () => client.api.support.routing(),
    enabled: user.role !== 'agent',
  });
  const change = useMutation({
    mutationFn: (takesChats: boolean) => client.api.support.setRouting({ takesChats }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['console'] }),
  });
  if (user.role === 'agent' || !routing.data) return null;
  return (
    <Switch
      size="xs"
      label="Take chats"
      checked={change.isPending ? !!change.variables : routing.data.takesChats}
      onChange={(e) => change.mutate(e.currentTarget.checked)}
      data-testid="take-chats"
    />
  );
}
