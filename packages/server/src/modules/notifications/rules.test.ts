import { describe, expect, it } from 'vitest';
import { containsWord, mentions } from './rules.js';

/** The one-regex definition containsWord had before (kept here as the oracle it must agree with). */
function containsWordByOneRegex(text: string, word: string): boolean {
  const w = word.trim();
  if (!w) return false;
  const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}(?=$|[^\\p{L}\\p{N}_])`, 'iu').test(text);
}

describe('containsWord', () => {
  it('finds whole words and phrases in any case, never a part of a longer word', () => {
    expect(containsWord('The Deploy failed', 'deploy')).toBe(true);
    expect(containsWord('redeploy now', 'deploy')).toBe(false);
    expect(containsWord('deploys', 'deploy')).toBe(false);
    expect(containsWord('deploy_now', 'deploy')).toBe(false);
    expect(containsWord('hi @Ann Lee!', '@ann lee')).toBe(true);
    expect(containsWord('hi @Ann Leeds', '@ann lee')).toBe(false);
    expect(containsWord('anything', '   ')).toBe(false);
  });

  it('treats letters of every script as word characters and folds their case', () => {
    expect(containsWord('ÜBER alles', 'über')).toBe(true);
    expect(containsWord('éüber', 'über')).toBe(false);
    expect(containsWord('срочно: сервер', 'СРОЧНО')).toBe(true);
    expect(containsWord('несрочно', 'срочно')).toBe(false);
    expect(containsWord('𐐀deploy', 'deploy')).toBe(false); // an astral letter (Deseret) touches it
    expect(containsWord('😀deploy😀', 'deploy')).toBe(true); // an emoji is not a word character
  });

  it('skips a match inside a word and finds a later whole one', () => {
    expect(containsWord('predeploy then deploy', 'deploy')).toBe(true);
    expect(containsWord('aaa aa', 'aa')).toBe(true);
  });

  it('escapes regex characters of the word', () => {
    expect(containsWord('costs $5 (net)', '$5')).toBe(true);
    expect(containsWord('a.b', 'a*b')).toBe(false);
    expect(containsWord('use c++ daily', 'c++')).toBe(true);
  });

  it('agrees with the single-regex definition on 5,000 generated texts', () => {
    // Letters (Latin, accented, Cyrillic, Greek final sigma, an astral letter), digits, _, @, spaces, punctuation.
    const alphabet = ['a', 'B', 'é', 'É', 'ж', 'Ж', 'σ', 'ς', 'Σ', '𐐀', '𐐨', '😀', '1', '_', '@', ' ', '-', '.', 'ß'];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');
    for (let i = 0; i < 5_000; i++) {
      const text = pick(rand(12));
      const word = pick(1 + rand(3));
      expect(containsWord(text, word), `${JSON.stringify(text)} ∋ ${JSON.stringify(word)}`).toBe(
        containsWordByOneRegex(text, word),
      );
    }
  });
});

describe('mentions', () => {
  it('matches @ plus a display name or email local part, case-insensitively', () => {
    expect(mentions('ping @ann lee about it', ['Ann Lee', 'ann'])).toBe(true);
    expect(mentions('ping @ann', ['Ann Lee', 'ann'])).toBe(true);
    expect(mentions('ping ann', ['Ann Lee', 'ann'])).toBe(false);
    expect(mentions('ping @annabel', ['Ann Lee', 'ann'])).toBe(false);
    expect(mentions('@ann', ['', '  '])).toBe(false);
  });
});
