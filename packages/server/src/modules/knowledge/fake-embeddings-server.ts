import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The embedding endpoint is outside the machine: a local server speaks the OpenAI `/v1/embeddings` wire
 * format (bearer key `emb-key`). Its "model" is a hashed bag of concepts — words mapped through a small
 * synonym table, then hashed into 256 dimensions — so texts that share meaning but no word land close
 * together, as with a real embedding model, and every vector is deterministic.
 */
const SYNONYMS: Record<string, string> = {
  refund: 'money-back',
  refunds: 'money-back',
  reimbursed: 'money-back',
  reimbursement: 'money-back',
  repaid: 'money-back',
  parcels: 'delivery',
  parcel: 'delivery',
  shipment: 'delivery',
  arrive: 'arrival',
  arrives: 'arrival',
  land: 'arrival',
};
const IGNORED = new Set('a an the are is in of and to my i am when how do does will be within'.split(' '));
const DIMS = 256;

export function bagOfConcepts(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of text.toLowerCase().split(/[^a-z0-9-]+/)) {
    if (!w || IGNORED.has(w)) continue;
    const h = createHash('sha256')
      .update(SYNONYMS[w] ?? w)
      .digest();
    const i = h.readUInt16BE(0) % DIMS;
    v[i] = (v[i] ?? 0) + ((h[2] ?? 0) & 1 ? 1 : -1);
  }
  return v;
}

export interface FakeEmbeddings {
  mode: 'normal' | 'error500' | 'malformed';
  /** The texts of every embeddings request, in order. */
  inputs: string[][];
  /** `AI_EMBEDDING_BASE_URL`. */
  baseUrl: string;
  close(): void;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings' || req.headers.authorization !== 'Bearer emb-key') {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string[]; encoding_format?: string };
      fake.inputs.push(parsed.input);
      if (fake.mode === 'error500') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model: parsed.model,
          data:
            fake.mode === 'malformed'
              ? [{ object: 'embedding', index: 0, embedding: 'not-a-vector' }]
              : parsed.input.map((text, index) => ({ object: 'embedding', index, embedding: bagOfConcepts(text) })),
          usage: { prompt_tokens: 8, total_tokens: 8 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake: FakeEmbeddings = {
    mode: 'normal',
    inputs: [],
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
  return fake;
}
