import type { UserPresence } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { AppServer as SocketServer } from '../../socket/types.js';
import type { PresenceService } from './presence.service.js';

/** How long connects of one org are gathered before their `online:users` lists are built (once) and sent. */
export const ONLINE_LIST_WINDOW_MS = 50;

type Logger = { error(obj: object, msg: string): void };

/**
 * Sends the `online:users` list a socket gets when it connects, for all sockets of an org that connected
 * within one short window together: the org's records are read, rated and sorted once per window instead
 * of once per connect, and the staff's shared list is encoded once for all of them. Without it a connect
 * storm of N users of one org costs O(N² log N) (3,000 agents took over 380 s to connect).
 *
 * Correct because every socket joined its rooms before it is queued here: a change after the list was built
 * reaches it as a `user:status` broadcast.
 */
export class OnlineListBatcher {
  private pending = new Map<string, Map<string, Actor>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: SocketServer,
    private readonly svc: Pick<PresenceService, 'onlineMany'>,
    private readonly log: Logger,
    private readonly windowMs = ONLINE_LIST_WINDOW_MS,
  ) {}

  /** Queue `socketId` (whose user is `actor`) for the next list of its org. */
  request(socketId: string, actor: Actor): void {
    let org = this.pending.get(actor.orgId);
    if (!org) {
      org = new Map();
      this.pending.set(actor.orgId, org);
    }
    org.set(socketId, actor);
    this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
  }

  /** Build and send every queued list now. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [orgId, sockets] of batch) {
      try {
        const ids = [...sockets.keys()];
        const lists = await this.svc.onlineMany(orgId, [...sockets.values()]);
        // Viewers that got the same list (all staff) get one broadcast: encoded once.
        const byList = new Map<UserPresence[], string[]>();
        lists.forEach((list, i) => {
          const group = byList.get(list) ?? [];
          group.push(ids[i] as string);
          byList.set(list, group);
        });
        for (const [users, group] of byList) this.io.to(group).emit('online:users', { users });
      } catch (err) {
        this.log.error({ err, orgId }, 'presence online list failed');
      }
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
