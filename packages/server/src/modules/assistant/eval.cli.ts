import { access } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { formatReport, readKb, readQuestions, runEval } from './eval.js';

/** The bundled sample question set for the demo knowledge base (`--kb demo`). */
export const DEMO_QUESTIONS_FILE = new URL('../../seed/demo-questions.json', import.meta.url);

/**
 * `switchboard ai eval FILE [--kb KB] [--fit]`: FILE is a JSON list of {question, expected: [article id]};
 * KB is a JSON list of {id, title, body, topics}, `demo` for the demo org's articles (ids are their
 * external ids), or, when omitted, `kb.json` beside FILE.
 */
export async function aiEvalCommand(
  file: string,
  opts: { kb?: string; fit?: boolean; learn?: boolean },
): Promise<string> {
  if (opts.kb === 'demo') {
    const questions = await readQuestions(file);
    const kb = DEMO_ARTICLES.map((a) => ({ id: a.externalId, title: a.title, body: a.body, topics: a.topics ?? [] }));
    return formatReport(runEval(kb, questions, { fit: opts.fit, learn: opts.learn }));
  }
  const kbFile = opts.kb ?? path.join(path.dirname(file), 'kb.json');
  await access(kbFile).catch(() => {
    throw new Error(`no knowledge base: pass --kb FILE (or put kb.json beside ${file})`);
  });
  return formatReport(runEval(await readKb(kbFile), await readQuestions(file), { fit: opts.fit, learn: opts.learn }));
}
