import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { timestampOf } from 'src/ngsi-ld/query/entity-filter-evaluator';

/*
 * The NGSI-LD query language (ETSI GS CIM 009, clause 4.9), parsed by recursive descent.
 *
 *   query       = orExpr
 *   orExpr      = andExpr *( "|" andExpr )               ; ";" binds tighter than "|"
 *   andExpr     = unary *( ";" unary )
 *   unary       = [ "!" ] primary                         ; "!" negates (attribute absence, or a group)
 *   primary     = "(" orExpr ")" / term
 *   term        = attribute [ operator valueExpr ]        ; no operator: the attribute exists
 *   attribute   = name *( "." name ) [ compound ]         ; temperature.observedAt, temperature.accuracy
 *   compound    = 1*( "[" name *( "." name ) "]" )        ; address[streetAddress], a[b][c], a[b.c]
 *   operator    = "==" / "!=" / ">=" / ">" / "<=" / "<" / "~=" / "!~="
 *   valueExpr   = value ".." value                        ; range, both ends included
 *               / value *( "," value )                    ; one value or a list (any of them)
 *   value       = quoted / dateTime / date / time / number / "true" / "false" / uri
 *
 * Readings where the specification leaves room:
 * - names hold letters, digits and `_ - : # / @ % +` but no dot, since "." separates the path;
 *   a full IRI with dots therefore cannot be named in q, a compact IRI (prefix:term) can;
 * - the operand of `~=` / `!~=` is a quoted string or, unquoted, everything up to `;`, `|` or an
 *   unbalanced `)`; a regular expression using `|` at top level has to be quoted or grouped;
 * - unquoted URIs are values (for Relationships: `refDevice==urn:ngsi-ld:Device:1`);
 * - blanks around tokens are tolerated (they arrive URL-encoded or from POST bodies).
 */

export type Comparator = '==' | '!=' | '>=' | '>' | '<=' | '<';
type Operator = Comparator | '~=' | '!~=';
export type QValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'dateTime'; readonly value: string }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'time'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'uri'; readonly value: string };

export interface AttributePath {
  /** The attribute, as written (a term, compact IRI or name). */
  readonly attribute: string;
  /** Sub-attributes, or a member such as observedAt as the last step. */
  readonly subPath: readonly string[];
  /** Keys into a compound value. */
  readonly compound: readonly string[];
}

export type QExpression =
  | { readonly kind: 'and' | 'or'; readonly terms: readonly QExpression[] }
  | { readonly kind: 'not'; readonly term: QExpression }
  | { readonly kind: 'exists'; readonly path: AttributePath }
  | { readonly kind: 'compare'; readonly path: AttributePath; readonly op: Comparator; readonly values: readonly QValue[] }
  | { readonly kind: 'range'; readonly path: AttributePath; readonly negated: boolean; readonly from: QValue; readonly to: QValue }
  | { readonly kind: 'pattern'; readonly path: AttributePath; readonly negated: boolean; readonly regex: string };

export const MAX_Q_LENGTH = 4096;
const MAX_DEPTH = 32;
const NAME = /[A-Za-z0-9_\-:#/@%+]+/y;
const OPERATORS: readonly Operator[] = ['!~=', '==', '!=', '>=', '<=', '~=', '>', '<'];
const VALUE_PATTERNS: ReadonlyArray<[QValue['kind'], RegExp]> = [
  ['dateTime', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?/y],
  ['date', /\d{4}-\d{2}-\d{2}/y],
  ['time', /\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?/y],
  ['number', /-?\d+(\.\d+)?([eE][+-]?\d+)?/y],
  ['uri', /[A-Za-z][A-Za-z0-9+.-]*:[^\s;|(),"]+/y],
];

/** Parses a q expression; a problem with the position and what was expected when it is not one. */
export function parseQ(text: string): QExpression {
  if (text.length === 0) throw new BadRequestData('q is empty');
  if (text.length > MAX_Q_LENGTH) throw new BadRequestData(`q is longer than ${MAX_Q_LENGTH} characters`);
  return new QParser(text).parse();
}

class QParser {
  private position = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): QExpression {
    const expression = this.orExpression();
    this.skipBlanks();
    if (!this.atEnd()) this.fail('";", "|", an operator or the end');
    return expression;
  }

  private orExpression(): QExpression {
    return this.combine('or', '|', () => this.andExpression());
  }

  private andExpression(): QExpression {
    return this.combine('and', ';', () => this.unary());
  }

  private combine(kind: 'and' | 'or', separator: string, next: () => QExpression): QExpression {
    const terms = [next()];
    while (this.accept(separator)) terms.push(next());
    return terms.length === 1 ? terms[0] : { kind, terms };
  }

  private unary(): QExpression {
    this.skipBlanks();
    if (this.text[this.position] === '!' && this.text[this.position + 1] !== '~' && this.text[this.position + 1] !== '=') {
      this.position++;
      return { kind: 'not', term: this.primary() };
    }
    return this.primary();
  }

  private primary(): QExpression {
    if (this.accept('(')) {
      if (++this.depth > MAX_DEPTH) throw new BadRequestData(`q nests parentheses deeper than ${MAX_DEPTH}`);
      const inner = this.orExpression();
      if (!this.accept(')')) this.fail('")"');
      this.depth--;
      return inner;
    }
    return this.term();
  }

  private term(): QExpression {
    const path = this.attribute();
    const op = this.operator();
    if (op === undefined) return { kind: 'exists', path };
    if (op === '~=' || op === '!~=') return { kind: 'pattern', path, negated: op === '!~=', regex: this.regex() };
    const first = this.value();
    if (this.accept('..')) {
      if (op !== '==' && op !== '!=') this.fail('a single value: ranges go with == and !=');
      return { kind: 'range', path, negated: op === '!=', from: first, to: this.value() };
    }
    const values = [first];
    while (this.accept(',')) values.push(this.value());
    if (values.length > 1 && op !== '==' && op !== '!=') this.fail('a single value: lists go with == and !=');
    return { kind: 'compare', path, op, values };
  }

  private attribute(): AttributePath {
    const steps = this.dottedNames('an attribute name');
    const compound: string[] = [];
    while (this.accept('[')) {
      compound.push(...this.dottedNames('a key of the compound value'));
      if (!this.accept(']')) this.fail('"]"');
    }
    return { attribute: steps[0], subPath: steps.slice(1), compound };
  }

  private dottedNames(what: string): string[] {
    const names = [this.name(what)];
    while (this.text.startsWith('.', this.position) && !this.text.startsWith('..', this.position)) {
      this.position++;
      names.push(this.name(what));
    }
    return names;
  }

  private name(what: string): string {
    this.skipBlanks();
    const name = this.match(NAME);
    if (name === undefined) this.fail(what);
    return name;
  }

  private operator(): Operator | undefined {
    return OPERATORS.find((op) => this.accept(op));
  }

  private value(): QValue {
    this.skipBlanks();
    if (this.text[this.position] === '"') return { kind: 'string', value: this.quoted() };
    for (const literal of ['true', 'false'] as const) {
      if (this.text.startsWith(literal, this.position) && this.atDelimiter(this.position + literal.length)) {
        this.position += literal.length;
        return { kind: 'boolean', value: literal === 'true' };
      }
    }
    for (const [kind, pattern] of VALUE_PATTERNS) {
      const start = this.position;
      const text = this.match(pattern);
      if (text === undefined) continue;
      if (!this.atDelimiter(this.position)) {
        this.position = start;
        continue;
      }
      if (kind === 'number') {
        const value = Number(text);
        if (!Number.isFinite(value)) this.fail('a finite number');
        return { kind, value };
      }
      const value = kind === 'dateTime' ? normalizeDateTime(text) : text;
      if (!existsInCalendar(kind, value)) {
        this.position = start;
        this.fail(`a ${kind === 'dateTime' ? 'date-time' : kind} that exists, not ${text}`);
      }
      return { kind, value } as QValue;
    }
    this.fail('a value (a number, a "quoted string", a date-time, true, false or a URI)');
  }

  private quoted(): string {
    let out = '';
    for (let i = this.position + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\\' && i + 1 < this.text.length) {
        out += this.text[++i];
      } else if (c === '"') {
        this.position = i + 1;
        return out;
      } else {
        out += c;
      }
    }
    this.fail('the closing quote of a string');
  }

  private regex(): string {
    this.skipBlanks();
    if (this.text[this.position] === '"') return this.quoted();
    const start = this.position;
    let depth = 0;
    for (; this.position < this.text.length; this.position++) {
      const c = this.text[this.position];
      if (c === '\\') this.position++;
      else if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
      else if ((c === ';' || c === '|') && depth === 0) break;
    }
    const regex = this.text.slice(start, this.position);
    if (regex.length === 0) this.fail('a regular expression');
    return regex;
  }

  private atDelimiter(at: number): boolean {
    const rest = this.text.slice(at).trimStart();
    return rest.length === 0 || /^(;|\||\)|,|\.\.)/.test(rest);
  }

  private accept(token: string): boolean {
    this.skipBlanks();
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text);
    if (!found) return undefined;
    this.position += found[0].length;
    return found[0];
  }

  private skipBlanks(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }

  private atEnd(): boolean {
    return this.position >= this.text.length;
  }

  private fail(expected: string): never {
    const found = this.atEnd() ? 'the end' : `"${this.text.slice(this.position, this.position + 12)}"`;
    throw new BadRequestData(`Invalid q at position ${this.position + 1}: expected ${expected}, found ${found}`);
  }
}

/**
 * Whether a date, time or date-time that looks right names a real moment (no 30 February, no
 * month 00, no 25 o'clock), by the rules PostgreSQL reads them with: 24:00:00 and a leap second
 * roll over. Anything else would reach the database only to fail there.
 */
function existsInCalendar(kind: QValue['kind'], text: string): boolean {
  switch (kind) {
    case 'dateTime':
      return timestampOf(text, false) !== undefined;
    case 'date':
      return timestampOf(`${text}T00:00:00Z`) !== undefined;
    case 'time':
      return timestampOf(`2000-01-01T${text.replace(/Z$/, '')}Z`) !== undefined;
    default:
      return true;
  }
}

/** Date-times without a zone are read as UTC; `+0100` becomes `+01:00`. */
function normalizeDateTime(text: string): string {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  return zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}
