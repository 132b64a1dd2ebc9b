import { isUtf8 } from 'node:buffer';
import secureJsonParse from 'secure-json-parse';

/** Why a request body is not a JSON document this service accepts. */
export class InvalidJsonBody extends Error {}

/**
 * Reads a JSON body, refusing what `JSON.parse` would accept but lose or garble: bytes that are
 * not UTF-8, a member name given twice in one object (the last would silently win), numbers too
 * large for a double (`1e309` would become Infinity, stored as null), keys that would poison
 * prototypes, and text PostgreSQL cannot store (NUL, lone surrogates).
 */
export function parseJsonBody(bytes: Buffer): unknown {
  // Decoding alone would replace such bytes with U+FFFD and store that.
  if (!isUtf8(bytes)) throw new InvalidJsonBody('The body is not valid UTF-8');
  const text = bytes.toString('utf8');
  let parsed: unknown;
  try {
    // The parser Fastify uses, refusing keys that would poison prototypes.
    parsed = secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = (error as Error).message;
    const reason = /prototype/i.test(message) ? 'it uses a reserved key (__proto__ or constructor.prototype)' : message;
    throw new InvalidJsonBody(`The body is not valid JSON: ${reason}`);
  }
  const { problem, memberNames } = inspectValue(parsed);
  if (problem) throw new InvalidJsonBody(`The body contains ${problem}`);
  // Each name in the text that the parsed objects do not hold again was overwritten by a later one.
  if (countMemberNames(text) !== memberNames) {
    throw new InvalidJsonBody(`The body gives the member name ${JSON.stringify(firstRepeatedName(text))} twice in one object`);
  }
  return parsed;
}

/**
 * What is wrong with the strings (keys too) and numbers in a value, if anything, and how many
 * member names its objects hold. Iterative, so that no nesting depth can overflow the stack.
 */
export function inspectValue(value: unknown): { problem?: string; memberNames: number } {
  let memberNames = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      const problem = stringProblem(item);
      if (problem) return { problem, memberNames };
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return { problem: 'a number too large to represent (beyond ±1.8e308)', memberNames };
    } else if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) pending.push(item[i]);
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item);
      for (let i = 0; i < keys.length; i++) {
        const problem = stringProblem(keys[i]);
        if (problem) return { problem, memberNames };
        pending.push((item as Record<string, unknown>)[keys[i]]);
      }
      memberNames += keys.length;
    }
  }
  return { memberNames };
}

function stringProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'a NUL character, which is not allowed';
  if (!text.isWellFormed()) return 'text that is not well-formed Unicode (a lone surrogate)';
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * How many member names the text of a valid JSON document holds: strings followed by a colon.
 * Jumps from quote to quote with indexOf, so that a megabyte takes about a millisecond.
 */
function countMemberNames(text: string): number {
  let count = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    const close = closingQuote(text, open);
    const after = afterBlanks(text, close + 1);
    if (text.charCodeAt(after) === COLON) count++;
    open = text.indexOf('"', after);
  }
  return count;
}

function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (isEscaped(text, close)) close = text.indexOf('"', close + 1);
  return close;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
  return backslashes % 2 === 1;
}

function afterBlanks(text: string, from: number): number {
  let at = from;
  while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
  return at;
}

/** The first member name that appears twice in one object (only called when one does). */
function firstRepeatedName(text: string): string | undefined {
  const objects: (Set<string> | undefined)[] = [];
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x7b) objects.push(new Set());
    else if (c === 0x5b) objects.push(undefined);
    else if (c === 0x7d || c === 0x5d) objects.pop();
    else if (c === QUOTE) {
      const close = closingQuote(text, at);
      const after = afterBlanks(text, close + 1);
      if (text.charCodeAt(after) === COLON) {
        const name = JSON.parse(text.slice(at, close + 1)) as string;
        const names = objects[objects.length - 1]!;
        if (names.has(name)) return name;
        names.add(name);
      }
      at = close;
    }
  }
  return undefined;
}
