import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

/** An and/or combination of leaves, as the type and scope query languages write them. */
export type BooleanExpression<Leaf> =
  | { readonly kind: 'and' | 'or'; readonly terms: readonly BooleanExpression<Leaf>[] }
  | { readonly kind: 'leaf'; readonly leaf: Leaf };

const MAX_DEPTH = 16;

/**
 * Parses `leaf (op leaf)*` with parentheses, where ";" is AND and "," or "|" are OR, ";" binding
 * tighter (ETSI GS CIM 009, clauses 4.17 and 4.19). `leaf` reads one leaf at a position.
 */
export function parseBooleanExpression<Leaf>(
  text: string,
  what: string,
  readLeaf: (text: string, at: number) => { leaf: Leaf; end: number } | undefined,
): BooleanExpression<Leaf> {
  let position = 0;
  let depth = 0;
  const fail = (expected: string): never => {
    const found = position >= text.length ? 'the end' : `"${text.slice(position, position + 12)}"`;
    throw new BadRequestData(`Invalid ${what} at position ${position + 1}: expected ${expected}, found ${found}`);
  };
  const accept = (token: string): boolean => {
    if (!text.startsWith(token, position)) return false;
    position += token.length;
    return true;
  };
  const combine = (kind: 'and' | 'or', separators: string[], next: () => BooleanExpression<Leaf>) => {
    const terms = [next()];
    while (separators.some(accept)) terms.push(next());
    return terms.length === 1 ? terms[0] : { kind, terms };
  };
  const or = (): BooleanExpression<Leaf> => combine('or', [',', '|'], and);
  const and = (): BooleanExpression<Leaf> => combine('and', [';'], primary);
  const primary = (): BooleanExpression<Leaf> => {
    if (accept('(')) {
      if (++depth > MAX_DEPTH) throw new BadRequestData(`${what} nests parentheses deeper than ${MAX_DEPTH}`);
      const inner = or();
      if (!accept(')')) fail('")"');
      depth--;
      return inner;
    }
    const read = readLeaf(text, position);
    if (!read) return fail(`a ${what} term`);
    position = read.end;
    return { kind: 'leaf', leaf: read.leaf };
  };
  if (text.length === 0) throw new BadRequestData(`${what} is empty`);
  const expression = or();
  if (position < text.length) fail('";", ",", "|" or the end');
  return expression;
}

/** Every leaf of an expression. */
export function leavesOf<Leaf>(expression: BooleanExpression<Leaf>): Leaf[] {
  return expression.kind === 'leaf' ? [expression.leaf] : expression.terms.flatMap((term) => leavesOf(term));
}

/** The same expression with every leaf mapped. */
export function mapLeaves<From, To>(expression: BooleanExpression<From>, map: (leaf: From) => To): BooleanExpression<To> {
  return expression.kind === 'leaf'
    ? { kind: 'leaf', leaf: map(expression.leaf) }
    : { kind: expression.kind, terms: expression.terms.map((term) => mapLeaves(term, map)) };
}
