import { BooleanExpression, parseBooleanExpression } from 'src/ngsi-ld/query/boolean-expression';

/** One scope pattern: `/Gothenburg/Parks`, `/Gothenburg/#` (it and all below), `/Gothenburg/+` (one level below). */
export interface ScopePattern {
  /** The fixed part, without the wildcard: "/Gothenburg"; "" for `/#` and `/+`. */
  readonly prefix: string;
  readonly wildcard: 'none' | 'descendants' | 'children';
}

const SCOPE_TERM = /\/(?:[^\s/,;|()#+]+\/)*(?:[^\s/,;|()#+]+|#|\+)/y;

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
  if (term.endsWith('/#')) return { prefix: term.slice(0, -2), wildcard: 'descendants' };
  if (term.endsWith('/+')) return { prefix: term.slice(0, -2), wildcard: 'children' };
  return { prefix: term, wildcard: 'none' };
}
