import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake model behaves on the next calls. */
export type FakeMode = 'normal' | 'slow' | 'error500' | 'malformed' | 'uncited' | 'cut';

/** A model endpoint outside the machine, replaced by a local server speaking its real wire protocol. */
export interface FakeLlm {
  mode: FakeMode;
  /** The article id the normal answer cites; `'first-passage'`: the first passage of the prompt, as a model would. */
  citeId: string;
  /** Answer this many next requests with a 500 before behaving as `mode` says (a transient outage). */
  failNext: number;
  /** When set, only requests whose body contains it are failed by `failNext` (others run meanwhile). */
  failWhen?: string;
  /** The answer text and confidence of the structured answer (defaults: FAKE_ANSWER_TEXT, 0.9). */
  answerText: string;
  confidence: number;
  /** A streamed reply: wait this long before the first chunk (time to first token), then this long per chunk. */
  firstChunkMs: number;
  chunkMs: number;
  /** Every request: the model named and the raw JSON body (the prompt is inside it). */
  requests: { model: string; body: string; headers: http.IncomingHttpHeaders }[];
  /** Base URL to configure (`AI_BASE_URL`). */
  baseUrl: string;
  close(): void;
}

export const FAKE_ANSWER_TEXT = 'Open your profile menu and choose Change password.';
/** What the model says to a plain-text request (no structured output asked): copilot rewrites and the like. */
export const FAKE_TEXT_REPLY = 'Here is the text the model wrote.';

/** One wire protocol: the path it serves and how it wraps the answer object (or a malformed reply). */
interface Wire {
  path: string;
  error: string;
  /** `answer`: the structured object, a plain text reply (string), or `null` for a malformed one. */
  reply(model: string, answer: object | string | null): object;
  /** The same reply as server-sent events, the content cut into `chunks` (`stream: true` requests). */
  events(model: string, answer: object | null, chunks: (text: string) => string[]): string[];
}

const MALFORMED = 'Sure! Here is the answer: change it in settings.';
const sse = (data: object, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

/** OpenAI chat completions: the structured answer is the message content, as JSON text. */
const openAiWire: Wire = {
  path: '/v1/chat/completions',
  error: '{"error":{"message":"upstream exploded","type":"server_error"}}',
  reply: (model, answer) => ({
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: typeof answer === 'string' ? answer : answer ? JSON.stringify(answer) : MALFORMED,
        },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  }),
  events: (model, answer, chunks) => {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null) =>
      sse({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    return [
      chunk({ role: 'assistant', content: '' }, null),
      ...chunks(answer ? JSON.stringify(answer) : MALFORMED).map((content) => chunk({ content }, null)),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ];
  },
};

/**
 * Anthropic Messages: @ai-sdk/anthropic asks for structured output with a forced tool (`tools: [{ name:
 * "json", input_schema }]`, `tool_choice: { type: "tool", name: "json" }`), so a model answers with a
 * `tool_use` block whose `input` is the object. A model that ignores the tool answers in text.
 */
const anthropicWire: Wire = {
  path: '/v1/messages',
  error: '{"type":"error","error":{"type":"api_error","message":"upstream exploded"}}',
  reply: (model, answer) => ({
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: answer
      ? [{ type: 'tool_use', id: `toolu_${randomUUID().replaceAll('-', '')}`, name: 'json', input: answer }]
      : [{ type: 'text', text: MALFORMED }],
    stop_reason: answer ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
  }),
  events: (model, answer, chunks) => {
    const id = `msg_${randomUUID().replaceAll('-', '')}`;
    const block = answer
      ? { type: 'tool_use', id: `toolu_${randomUUID().replaceAll('-', '')}`, name: 'json', input: {} }
      : { type: 'text', text: '' };
    const delta = (piece: string) =>
      sse(
        {
          type: 'content_block_delta',
          index: 0,
          delta: answer ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece },
        },
        'content_block_delta',
      );
    return [
      sse(
        {
          type: 'message_start',
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 10, output_tokens: 1 },
          },
        },
        'message_start',
      ),
      sse({ type: 'content_block_start', index: 0, content_block: block }, 'content_block_start'),
      ...chunks(answer ? JSON.stringify(answer) : MALFORMED).map(delta),
      sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
      sse(
        {
          type: 'message_delta',
          delta: { stop_reason: answer ? 'tool_use' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: 10 },
        },
        'message_delta',
      ),
      sse({ type: 'message_stop' }, 'message_stop'),
    ];
  },
};

/** The id to cite: as configured, or the first passage's article id in the prompt (`[1] article <id> — …`). */
function citation(body: string, citeId: string): string {
  if (citeId !== 'first-passage') return citeId;
  return /\[1\] article (\S+)/.exec(body)?.[1] ?? 'no-passage';
}

/** Cut a reply into pieces of about one token's worth of characters, as a model streams it. */
const tokens = (text: string) => text.match(/.{1,6}/gs) ?? [];

/** Write the events one by one at the fake's pace; `cut` drops the connection halfway through the answer. */
async function streamEvents(res: http.ServerResponse, events: string[], fake: FakeLlm) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await new Promise((r) => setTimeout(r, fake.firstChunkMs));
  for (const [i, event] of events.entries()) {
    if (fake.mode === 'cut' && i === Math.floor(events.length * 0.8)) {
      res.destroy();
      return;
    }
    res.write(event);
    if (fake.chunkMs > 0) await new Promise((r) => setTimeout(r, fake.chunkMs));
  }
  res.end();
}

/**
 * Start a local model server for `protocol` on port 0. It checks what the real API requires of a
 * request (Anthropic: `x-api-key`, `anthropic-version`, the forced `json` tool) and answers 400 otherwise,
 * so a client that sends the wrong request fails the test.
 */
export async function startFakeLlm(protocol: 'openai-compatible' | 'anthropic'): Promise<FakeLlm> {
  const wire = protocol === 'anthropic' ? anthropicWire : openAiWire;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const parsed = JSON.parse(body) as {
        model: string;
        tools?: { name: string }[];
        tool_choice?: { type: string; name?: string };
        response_format?: unknown;
        stream?: boolean;
      };
      fake.requests.push({ model: parsed.model, body, headers: req.headers });
      if (req.method !== 'POST' || req.url !== wire.path) {
        res.writeHead(404).end();
        return;
      }
      if (
        protocol === 'anthropic' &&
        (!req.headers['x-api-key'] ||
          !req.headers['anthropic-version'] ||
          parsed.tools?.[0]?.name !== 'json' ||
          parsed.tool_choice?.name !== 'json')
      ) {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"type":"error","error":{"type":"invalid_request_error","message":"bad request"}}');
        return;
      }
      const transient = fake.failNext > 0 && (!fake.failWhen || body.includes(fake.failWhen));
      if (transient || fake.mode === 'error500') {
        if (transient) fake.failNext--;
        res.writeHead(500, { 'content-type': 'application/json' }).end(wire.error);
        return;
      }
      // In the schema's order: the verdict first, then the answer (as a model writes it).
      const answer = {
        confidence: fake.confidence,
        needs_human: false,
        cited_ids: [fake.mode === 'uncited' ? 'not-retrieved' : citation(body, fake.citeId)],
        answer: fake.answerText,
      };
      if (parsed.stream) {
        if (fake.mode === 'slow') return;
        void streamEvents(res, wire.events(parsed.model, fake.mode === 'malformed' ? null : answer, tokens), fake);
        return;
      }
      // A chat completion without response_format asks for plain text (OpenAI wire only).
      const plain = protocol === 'openai-compatible' && parsed.response_format === undefined;
      const reply = wire.reply(parsed.model, plain ? FAKE_TEXT_REPLY : fake.mode === 'malformed' ? null : answer);
      const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      // Slow: never answers, so the client's timeout fires however loaded the machine is.
      if (fake.mode !== 'slow') send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake: FakeLlm = {
    mode: 'normal',
    citeId: 'help-reset-password',
    failNext: 0,
    answerText: FAKE_ANSWER_TEXT,
    confidence: 0.9,
    firstChunkMs: 0,
    chunkMs: 0,
    requests: [],
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
  return fake;
}
