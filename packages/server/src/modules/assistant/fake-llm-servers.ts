import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake model behaves on the next calls. */
export type FakeMode = 'normal' | 'slow' | 'error500' | 'malformed' | 'uncited';

/** A model endpoint outside the machine, replaced by a local server speaking its real wire protocol. */
export interface FakeLlm {
  mode: FakeMode;
  /** The article id the normal answer cites. */
  citeId: string;
  /** Answer this many next requests with a 500 before behaving as `mode` says (a transient outage). */
  failNext: number;
  /** When set, only requests whose body contains it are failed by `failNext` (others run meanwhile). */
  failWhen?: string;
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
}

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
          content:
            typeof answer === 'string'
              ? answer
              : answer
                ? JSON.stringify(answer)
                : 'Sure! Here is the answer: change it in settings.',
        },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  }),
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
      : [{ type: 'text', text: 'Sure! Here is the answer: change it in settings.' }],
    stop_reason: answer ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
  }),
};

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
      const answer = {
        answer: FAKE_ANSWER_TEXT,
        confidence: 0.9,
        needs_human: false,
        cited_ids: [fake.mode === 'uncited' ? 'not-retrieved' : fake.citeId],
      };
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
    requests: [],
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
  return fake;
}
