// Splits a `command:`/`entrypoint:` string into argv the way Compose does (POSIX shell quoting rules,
// no expansion): Docker runs the list form directly, so quoting must be resolved here.

import { fail, ok, quote, type Result } from './result.js';

// Inside double quotes a backslash only escapes these, as in sh; elsewhere it is kept literally.
const DQ_ESCAPABLE = new Set(['"', '\\', '$', '`', '\n']);

export function splitShellWords(text: string): Result<string[]> {
  const words: string[] = [];
  let word = '';
  // A word exists once anything, even an empty pair of quotes, has been seen.
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) word += '\\';
      else if (next !== '\n') word += next; // backslash-newline is a line continuation
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return fail(`${quote(text)} has an unterminated single quote`);
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text[j] as string;
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\' && j + 1 < text.length && DQ_ESCAPABLE.has(text[j + 1] as string)) {
          if (text[j + 1] !== '\n') word += text[j + 1];
          j += 2;
        } else {
          word += d;
          j++;
        }
      }
      if (!closed) return fail(`${quote(text)} has an unterminated double quote`);
      inWord = true;
      i = j + 1;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return ok(words);
}
