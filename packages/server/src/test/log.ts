import { Writable } from 'node:stream';

/** A log sink that keeps every JSON line, for tests that read what the server logged. */
export function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { stream, lines, text: () => raw.join('\n') };
}
