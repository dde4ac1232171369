import type { SwitchboardClient } from '@switchboard/sdk';
import { useEffect } from 'react';

/**
 * While a support conversation the agent is a member of is on screen, mark it read up to its newest message:
 * the customer's widget then shows "Seen" (a read receipt, as in the messenger).
 */
export function useMarkRead(client: SwitchboardClient, conversationId: string, lastSeq: number, member: boolean) {
  useEffect(() => {
    if (!member || !lastSeq) return;
    const mark = () => {
      if (document.visibilityState === 'visible') client.markRead(conversationId, lastSeq).catch(() => {});
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [client, conversationId, lastSeq, member]);
}
