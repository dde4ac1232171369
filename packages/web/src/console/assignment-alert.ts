import type { ConversationStatusEvent } from '@switchboard/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useClientEvents } from '../hooks';
import { useSession } from '../session';

const OPT_IN_KEY = 'switchboard.desktopAlerts';

/**
 * Whether a status push is a new assignment the agent must be told about: the conversation became theirs,
 * it was not theirs already, and they are not looking at it (taking it yourself selects it, so no alert).
 */
export function isNewAssignment(
  event: Pick<ConversationStatusEvent, 'conversationId' | 'status' | 'assignedTo'>,
  me: string,
  alreadyMine: ReadonlySet<string>,
  selected: string | undefined,
): boolean {
  return (
    event.status === 'human_active' &&
    event.assignedTo === me &&
    !alreadyMine.has(event.conversationId) &&
    event.conversationId !== selected
  );
}

/** A short two-note chime through Web Audio: no sound file to ship, and it works while the tab is hidden. */
function chime(): void {
  try {
    const ctx = new AudioContext();
    for (const [i, freq] of [660, 880].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, ctx.currentTime + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.15 + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.15);
      osc.stop(ctx.currentTime + i * 0.15 + 0.3);
    }
    setTimeout(() => void ctx.close(), 1_000);
  } catch {
    // No audio output (or autoplay refused before any click): the live list and the title still tell.
  }
}

const canNotify = () => typeof Notification !== 'undefined';

/** The desktop-notification opt-in: asked for once by a click, remembered in this browser. */
export function useDesktopAlertsOptIn() {
  const [on, setOn] = useState(
    () => canNotify() && Notification.permission === 'granted' && !!localStorage.getItem(OPT_IN_KEY),
  );
  const toggle = useCallback(async (want: boolean) => {
    if (!want || !canNotify()) {
      localStorage.removeItem(OPT_IN_KEY);
      setOn(false);
      return;
    }
    const permission = await Notification.requestPermission();
    if (permission === 'granted') localStorage.setItem(OPT_IN_KEY, '1');
    setOn(permission === 'granted');
  }, []);
  return { supported: canNotify(), on, toggle };
}

/**
 * Alert the agent of a conversation newly assigned to them: a chime, and a desktop notification when they
 * opted in (clicking it opens the conversation). The console's list refetches on the same push.
 */
export function useAssignmentAlert(mine: readonly string[], selected: string | undefined, desktop: boolean): void {
  const me = useSession().user.id;
  const navigate = useNavigate();
  const known = useRef(new Set<string>());
  useEffect(() => {
    known.current = new Set(mine);
  }, [mine]);
  useClientEvents((e) => {
    if (e.type !== 'support.status' || !isNewAssignment(e.event, me, known.current, selected)) return;
    known.current.add(e.event.conversationId);
    chime();
    if (desktop && canNotify() && Notification.permission === 'granted') {
      const n = new Notification('New conversation assigned to you', { tag: e.event.conversationId });
      n.onclick = () => {
        window.focus();
        navigate(`/console/${e.event.conversationId}`);
      };
    }
  });
}
