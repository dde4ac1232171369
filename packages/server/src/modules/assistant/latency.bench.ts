import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ConversationEvent } from '@switchboard/protocol';
import { buildApp } from '../../app.js';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { bearer, connectSocket, createOrgWithUsers, listen, loginAs } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';

/**
 * Customer-perceived latency of the built-in responder: from `message.send` to the AI's `message.new` on
 * the customer's socket, through the real app, task queue and SQLite (`npx tsx …/latency.ts [N]`).
 */
export async function measureAnswerLatency(n = 50): Promise<{ n: number; p50: number; p95: number; max: number }> {
  const app = await buildApp(testConfig());
  try {
    const a = await createOrgWithUsers(app.platform);
    await knowledgeService(app.platform).import(a.org.id, null, { articles: [...DEMO_ARTICLES] });
    const url = await listen(app);
    const token = (await loginAs(app, a.emails.customer)).accessToken;
    const socket = await connectSocket(url, token);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(token),
        payload: { kind: 'support' },
      });
      const conversationId = res.json().conversation.id as string;
      const answered = new Promise<void>((resolve) => {
        const on = (e: ConversationEvent) => {
          if (e.conversationId !== conversationId || e.message?.senderId === a.users.customer.id) return;
          socket.off('message.new', on);
          resolve();
        };
        socket.on('message.new', on);
      });
      const t0 = performance.now();
      socket.emit(
        'message.send',
        { conversationId, clientMsgId: randomUUID(), text: 'How do I reset my password?' },
        () => {},
      );
      await answered;
      times.push(performance.now() - t0);
    }
    socket.close();
    times.sort((x, y) => x - y);
    const at = (q: number) =>
      Math.round((times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0) * 10) / 10;
    return { n, p50: at(0.5), p95: at(0.95), max: at(1) };
  } finally {
    await app.close();
    await app.platform.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureAnswerLatency(Number(process.argv[2] ?? 50)).then((r) => console.log(JSON.stringify(r)));
}
