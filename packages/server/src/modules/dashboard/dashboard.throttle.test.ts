import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppServer as SocketServer } from '../../socket/types.js';
import { DASHBOARD_PUSH_INTERVAL_MS, dashboardLive } from './dashboard.live.js';

/** What `io.to(rooms).emit(event, payload)` was asked to send, in order. */
function recordingIo() {
  const sent: { rooms: string[]; event: string; payload: unknown }[] = [];
  const io = {
    to: (rooms: string[]) => ({ emit: (event: string, payload: unknown) => sent.push({ rooms, event, payload }) }),
  };
  return { io: io as unknown as SocketServer, sent };
}

describe('dashboard.updated throttle', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('a burst sends one update at once and one trailing update with every kind, per org, to supervisors and admins', () => {
    const { io, sent } = recordingIo();
    const live = dashboardLive(io);
    live.changed('o1', 'message');
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      rooms: ['org:o1:role:supervisor', 'org:o1:role:admin'],
      event: 'dashboard.updated',
      payload: { at: 1_000_000, kinds: ['message'] },
    });
    for (let i = 0; i < 500; i++) live.changed('o1', i % 2 ? 'escalated' : 'message');
    live.changed('o2', 'csat');
    vi.advanceTimersByTime(0);
    expect(sent.map((s) => s.rooms[0])).toEqual(['org:o1:role:supervisor', 'org:o2:role:supervisor']);
    vi.advanceTimersByTime(DASHBOARD_PUSH_INTERVAL_MS - 1);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(3);
    expect(sent[2]?.payload).toEqual({ at: 1_000_000 + DASHBOARD_PUSH_INTERVAL_MS, kinds: ['escalated', 'message'] });
    vi.advanceTimersByTime(10 * DASHBOARD_PUSH_INTERVAL_MS);
    expect(sent).toHaveLength(3);
    live.close();
  });
});
