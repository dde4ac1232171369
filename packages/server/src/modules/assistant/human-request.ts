/**
 * Whether a customer's message asks for a person instead of the AI. Deliberately narrow: a question that
 * merely mentions agents or managers ("can an agent see my files?") is answered as usual; only a request
 * in the first person, a bare "agent" / "human please", a wish for a real or live person, or refusing the
 * bot hands the conversation over.
 */
const TARGET =
  '(?:an? |the |your |some |one of your )?(?:real |live |actual )?(?:human(?: being)?|person|people|agent|representative|rep|manager|supervisor|operator|somebody|someone(?: real)?|staff(?: member)?|team member|support (?:person|agent|team)|customer (?:service|support)(?: agent| person| rep)?)';

const PATTERNS: readonly RegExp[] = [
  // "I want to speak to a manager", "can I talk with someone", "let me chat to a human", "I'd like to be connected to an agent"
  new RegExp(
    `\\b(?:i(?:'d| would)? (?:like|want|wanna|need|must|have) to|i want|i need|can i|could i|may i|let me|please let me|i'd like|i would like|i'm trying to|trying to)\\b.{0,24}\\b(?:speak|talk|chat|be connected|be transferred|get through|get connected)\\b.{0,8}\\b(?:to|with)\\b ${TARGET}\\b`,
    'i',
  ),
  // "get me a human", "connect me to an agent", "transfer me to your manager", "put me through to someone"
  new RegExp(
    `\\b(?:get|give|find|put|connect|transfer|pass|escalate|send) me\\b.{0,16}\\b(?:to |with )?${TARGET}\\b`,
    'i',
  ),
  // "I need a human", "I want a real person", "can I have an agent", "is there a person I can talk to"
  new RegExp(
    `\\b(?:i (?:need|want)|can i (?:have|get)|could i (?:have|get)|is there)\\b ${TARGET}(?: i can talk to| to talk to| available| please|[.!?]|$)`,
    'i',
  ),
  // "a real person please", "live agent", "an actual human"
  /\b(?:real|live|actual) (?:human|person|people|agent|someone|operator)\b/i,
  // the whole message is the ask: "agent", "human please!", "operator", "representative now"
  new RegExp(`^\\s*(?:${TARGET})(?:,? (?:please|pls|now|asap))*\\s*[.!?]*\\s*$`, 'i'),
  // refusing the bot: "I don't want to talk to a bot", "stop the bot", "am I talking to a robot?"
  /\b(?:not|no|don'?t want|do not want|stop|hate|enough of)\b.{0,20}\b(?:bot|robot|machine|ai|chatbot|automated)\b|\bam i (?:talking|chatting|speaking) (?:to|with) (?:a |an )?(?:bot|robot|machine|ai)\b/i,
];

/**
 * @example
 * ```ts
 * asksForHuman('I want to speak to a manager'); // true
 * asksForHuman('Can an agent see my attachments?'); // false
 * ```
 */
export function asksForHuman(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
  return t.length <= 300 && PATTERNS.some((p) => p.test(t));
}
