/*
 * PostgreSQL's regular expressions (POSIX advanced), as q patterns and idPattern are written for
 * entity queries, translated for JavaScript, which matches subscriptions against changes.
 */

/** White space as PostgreSQL's `\s` knows it under COLLATE "C": ASCII only (JavaScript's also has U+00A0 and more). */
const POSIX_SPACE = '\\t\\n\\v\\f\\r ';
const POSIX_NON_SPACE = '\\u{0}-\\u{8}\\u{e}-\\u{1f}\\u{21}-\\u{10ffff}';
/** What JavaScript (with the u flag) lets a backslash escape outside brackets. */
const JS_SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/');

/**
 * A q pattern (a PostgreSQL regular expression) written for JavaScript, where the two would read
 * the same text differently: `\s` and `\S` are ASCII white space or not, `\b` is a backspace and
 * `\B` a backslash, `\x` takes every hex digit that follows, and punctuation may be escaped. What
 * JavaScript cannot read at all (POSIX classes, embedded options, `\y`) stays a SyntaxError.
 */
export function javascriptPattern(pattern: string): string {
  let out = '';
  let inBrackets = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '\\') {
      if (c === '[' && !inBrackets) inBrackets = true;
      else if (c === ']' && inBrackets) inBrackets = false;
      out += c;
      continue;
    }
    const next = pattern[++i];
    if (next === undefined) return `${out}\\`; // a trailing backslash: JavaScript refuses it too
    if (next === 's' || next === 'S') {
      const set = next === 's' ? POSIX_SPACE : POSIX_NON_SPACE;
      out += inBrackets ? set : `[${set}]`;
    } else if (next === 'b') out += '\\x08';
    else if (next === 'B') out += '\\\\';
    else if (next === 'x') {
      const hex = /^[0-9A-Fa-f]+/.exec(pattern.slice(i + 1))?.[0];
      out += hex === undefined ? '\\x' : `\\u{${hex}}`;
      i += hex?.length ?? 0;
    } else if (/[A-Za-z0-9]/.test(next) || JS_SYNTAX_CHARACTERS.has(next) || (inBrackets && next === '-')) out += `\\${next}`;
    else out += next; // an escaped punctuation character is itself
  }
  return out;
}
