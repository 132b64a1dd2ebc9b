import { BooleanExpression, parseBooleanExpression } from 'src/ngsi-ld/query/boolean-expression';

/**
 * One scope pattern (clause 4.19): `/Gothenburg/Parks`; `+` for any one level anywhere
 * (`/Madrid/+/ParqueNorte`, `/Gothenburg/+`); a final `#` for that level and all below
 * (`/Gothenburg/#`, `/#`).
 */
export interface ScopePattern {
  /** The levels after the leading "/", `+` for any one; empty for `/#`. */
  readonly levels: readonly string[];
  /** Whether the pattern ended in `/#`: scopes at those levels and any below match too. */
  readonly descendants: boolean;
}

/** Any one level of a scope pattern. */
export const ANY_LEVEL = '+';

const SCOPE_TERM = /\/(?:(?:[^\s/,;|()#+]+|\+)\/)*(?:[^\s/,;|()#+]+|#|\+)/y;

/** The scope query language (clause 4.19), with `,` `|` for or, `;` for and, and parentheses. */
export function parseScopeQuery(text: string): BooleanExpression<ScopePattern> {
  return parseBooleanExpression(text, 'scopeQ', (source, at) => {
    SCOPE_TERM.lastIndex = at;
    const found = SCOPE_TERM.exec(source);
    if (!found) return undefined;
    return { leaf: toPattern(found[0]), end: at + found[0].length };
  });
}

function toPattern(term: string): ScopePattern {
  const levels = term.slice(1).split('/');
  const descendants = levels[levels.length - 1] === '#';
  return { levels: descendants ? levels.slice(0, -1) : levels, descendants };
}

/** The scope a pattern without wildcards names ("/Gothenburg/Parks"), if it has none. */
export function exactScope(pattern: ScopePattern): string | undefined {
  return pattern.descendants || pattern.levels.includes(ANY_LEVEL) ? undefined : `/${pattern.levels.join('/')}`;
}

/** Whether one scope of an entity matches a pattern. */
export function scopeMatches(pattern: ScopePattern, scope: string): boolean {
  const levels = scope.slice(1).split('/');
  if (pattern.descendants ? levels.length < pattern.levels.length : levels.length !== pattern.levels.length) return false;
  return pattern.levels.every((level, i) => level === ANY_LEVEL || level === levels[i]);
}
