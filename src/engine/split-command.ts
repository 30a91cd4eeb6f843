/** Splitting a command line written as one string into its words, as a shell would without expanding anything. */
import { UserError } from '../errors.js';

/** Split a command line into words: whitespace separates, '...' is literal, "..." and \ escape. No shell expansion. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && /["\\$`]/.test(text.charAt(i + 1))) word += text.charAt(++i);
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '\\' && i + 1 < text.length) word += text.charAt(++i);
      else word += ch;
    }
  }
  if (quote !== undefined) {
    throw new UserError(`unclosed ${quote} in command: ${text}`, {
      hint: 'Close the quote, or give the command as an array of arguments.',
    });
  }
  if (inWord) words.push(word);
  return words;
}
