import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ConversationEvent, ConversationStatusEvent } from '@switchboard/protocol';
import { startFakeLlm } from '../../../packages/server/src/modules/assistant/fake-llm-servers.js';
import { connectOne } from '../clients.js';
import { measure, openLoop, runResult, until } from '../loop.js';
import { ROOT } from '../servers.js';
import { LatencyHistogram } from '../tracker.js';
import { dur, type Scenario, type ScenarioOutcome, trackerFor, withTarget } from './common.js';

/** Three to four sentences, as a support answer usually is (~330 characters, ~80 tokens). */
const ANSWER =
  'Open your profile menu at the top right and choose Change password. Type your current password, then the new one twice, and save. ' +
  'Your other devices are signed out, and this one stays signed in with the new password. ' +
  'If you forgot the current password, ask an admin of your organisation to send you a reset link.';

const QUESTIONS = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/server/src/seed/demo-questions.json'), 'utf8')) as {
    question: string;
  }[]
).map((q) => q.question);

/**
 * Customers ask the AI in the widget, answered by an LLM: a local OpenAI-compatible server that streams its
 * answer at a hosted model's pace (time to first token `ttftMs`, then a 6-character chunk every `chunkMs`).
 * Measures question → first streamed words and question → stored answer on the customer's socket, and the
 * model's own time for the same answer in the same run, so the server's share is the difference.
 */
export const aiAnswer: Scenario = {
  name: 'ai-answer',
  description:
    'Customers ask in support conversations; an LLM (local server with a realistic delay) answers: time to first streamed words and to the stored answer.',
  async run(ctx): Promise<ScenarioOutcome> {
    const ratePerS = ctx.knob('rate', 2);
    const windowMs = dur(ctx, 10, 60);
    const ttftMs = ctx.knob('ttftMs', 600);
    const chunkMs = ctx.knob('chunkMs', 20);
    const n = Math.max(1, Math.floor((ratePerS * windowMs) / 1000));
    const fake = await startFakeLlm('openai-compatible');
    fake.citeId = 'first-passage';
    fake.answerText = ANSWER;
    fake.firstChunkMs = ttftMs;
    fake.chunkMs = chunkMs;
    try {
      // The model alone, for the same answer: a direct streamed request, timed to its last byte.
      const modelTime = new LatencyHistogram();
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await fetch(`${fake.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'bench',
            stream: true,
            response_format: { type: 'json_object' },
            messages: [],
          }),
        });
        await res.text();
        modelTime.recordMs(performance.now() - t0);
      }
      const env = {
        AI_PROVIDER: 'openai-compatible',
        AI_BASE_URL: fake.baseUrl,
        AI_MODEL: 'bench',
        AI_TIMEOUT_MS: '20000',
      };
      const run = await withTarget(
        'switchboard',
        'sqlite',
        { users: n, conversations: [], role: 'customer', kb: 'demo' },
        ctx,
        async (server) => {
          const users = server.seed?.users ?? [];
          const sockets = await Promise.all(users.map((u) => connectOne(server.url, { token: u.token })));
          const firstWords = new LatencyHistogram();
          const answered = new LatencyHistogram();
          let sent = 0;
          let queued = 0;
          let failed = 0;
          const asks: { at: number; conversationId?: string; streamed?: boolean; done?: boolean }[] = [];
          sockets.forEach((socket, i) => {
            socket.on('support.answer_stream', (e: { conversationId: string; state: string }) => {
              const ask = asks[i];
              if (!ask || ask.streamed || e.conversationId !== ask.conversationId || e.state !== 'writing') return;
              ask.streamed = true;
              firstWords.recordMs(performance.now() - ask.at);
            });
            socket.on('message.new', (e: ConversationEvent) => {
              const ask = asks[i];
              if (!ask || ask.done || e.conversationId !== ask.conversationId || e.message?.senderId === users[i]?.id)
                return;
              ask.done = true;
              answered.recordMs(performance.now() - ask.at);
            });
            socket.on('conversation.status', (e: ConversationStatusEvent) => {
              const ask = asks[i];
              if (!ask || ask.done || e.conversationId !== ask.conversationId || e.status !== 'pending_approval')
                return;
              ask.done = true;
              queued++;
            });
          });
          const stop = measure(server);
          const startedAt = performance.now();
          await openLoop(ratePerS, windowMs, (at, i) => {
            const socket = sockets[i];
            const user = users[i];
            if (!socket || !user) return;
            asks[i] = { at };
            sent++;
            // The widget's first message: create the support conversation, then ask in it.
            fetch(`${server.url}/api/v1/conversations`, {
              method: 'POST',
              headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ kind: 'support' }),
            })
              .then((r) => r.json() as Promise<{ conversation: { id: string } }>)
              .then(({ conversation }) => {
                (asks[i] as { conversationId?: string }).conversationId = conversation.id;
                socket.emit(
                  'message.send',
                  {
                    conversationId: conversation.id,
                    clientMsgId: randomUUID(),
                    text: QUESTIONS[i % QUESTIONS.length],
                  },
                  (ack: { ok: boolean }) => {
                    if (!ack.ok) failed++;
                  },
                );
              })
              .catch(() => {
                failed++;
              });
          });
          await until(() => asks.filter((a) => a?.done).length + failed >= sent, 60_000);
          const window = stop();
          for (const s of sockets) s.close();
          const r = runResult(
            server,
            `${ratePerS} questions/s, LLM ttft ${ttftMs} ms`,
            trackerFor({ users: [], conversations: [] }),
            window,
            startedAt,
            windowMs / 1000,
            {
              questions: sent,
              autoSent: answered.count,
              queuedForApproval: queued,
              failed,
              unanswered: sent - answered.count - queued - failed,
              firstStreamedWords: firstWords.summary(),
              answer: answered.summary(),
              modelAlone: modelTime.summary(),
            },
          );
          r.sends = { scheduled: sent, acked: answered.count + queued, failed };
          r.ackLatency = answered.summary();
          ctx.log(
            `  ${sent} questions: ${answered.count} auto-sent, ${queued} to approval; first words p95 ${firstWords.summary()?.p95 ?? '-'} ms, answer p95 ${answered.summary()?.p95 ?? '-'} ms (model alone p50 ${modelTime.summary()?.p50} ms)`,
          );
          return r;
        },
        env,
      );
      const answer = run.extra.answer as { p95: number; p50: number } | null;
      const model = modelTime.summary();
      const first = run.extra.firstStreamedWords as { p95: number } | null;
      return {
        params: { ratePerS, windowMs, ttftMs, chunkMs, answerChars: ANSWER.length },
        runs: [run],
        ratios: { answerOverModel: answer && model ? Math.round((answer.p50 / model.p50) * 1000) / 1000 : null },
        targets: [
          {
            name: 'AI answer (LLM path, streamed) reaches the customer within 3 s',
            target: 'p95 ≤ 3000 ms',
            measured: `answer p95 ${answer?.p95 ?? '-'} ms (model alone p50 ${model?.p50 ?? '-'} ms); first streamed words p95 ${first?.p95 ?? '-'} ms`,
            met: answer ? answer.p95 <= 3000 : false,
          },
        ],
      };
    } finally {
      fake.close();
    }
  },
};
