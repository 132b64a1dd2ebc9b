import { BadRequestData, OperationNotSupported } from 'src/common/problem/ngsi-ld-errors';
import { isValidName } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/*
 * The projection language of `pick` and `omit` (clause 4.21):
 *
 *   projection = member *( "," member )
 *   member     = name [ "{" projection "}" ]      ; locatedAt{name}: members of a linked entity
 *
 * Names are entity members (id, type, scope) or attribute names. Projecting into linked entities
 * only means something with linked-entity retrieval (join), which this broker does not offer:
 * such a projection is refused as unsupported rather than half applied.
 */

/** The member names of a `pick` or `omit` value; a clear 400 when it does not follow the grammar. */
export function parseProjection(text: string, parameter: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let nested = false;
  // Each token is a name or one of the punctuation marks; what may follow what is checked in turn.
  const tokens = text.match(/[{},]|[^{},]+/g) ?? [];
  let previous: string | undefined;
  for (const token of tokens) {
    const isName = !'{},'.includes(token);
    const problem = isName ? nameProblem(token, previous) : punctuationProblem(token, previous, depth);
    if (problem) throw new BadRequestData(`${parameter} ${problem} in ${JSON.stringify(text)}`);
    if (token === '{') {
      depth++;
      nested = true;
    } else if (token === '}') depth--;
    else if (isName && depth === 0) names.push(token);
    previous = token;
  }
  if (tokens.length === 0 || previous === ',' || previous === '{') throw new BadRequestData(`${parameter} must name at least one member, and end with one`);
  if (depth > 0) throw new BadRequestData(`${parameter} opens a "{" it does not close in ${JSON.stringify(text)}`);
  if (nested) {
    throw new OperationNotSupported(`${parameter}: projecting members of linked entities ("{...}") needs linked entity retrieval (join), which this broker does not offer`);
  }
  return names;
}

function nameProblem(name: string, previous: string | undefined): string | undefined {
  if (previous !== undefined && previous !== ',' && previous !== '{') return `needs "," between members`;
  if (name !== name.trim() || !isValidName(name)) return `has ${JSON.stringify(name)}, which is not a member name`;
  return undefined;
}

function punctuationProblem(mark: string, previous: string | undefined, depth: number): string | undefined {
  const afterName = previous !== undefined && !'{},'.includes(previous);
  if (mark === '{') return afterName ? undefined : 'has a "{" that does not follow a member name';
  if (mark === ',') return afterName || previous === '}' ? undefined : 'has an empty member';
  if (depth === 0) return 'closes a "}" it did not open';
  return afterName || previous === '}' ? undefined : 'has an empty "{}"';
}
