import { BooleanExpression, parseBooleanExpression } from 'src/ngsi-ld/query/boolean-expression';

const TYPE_NAME = /[^\s,;|()]+/y;

/**
 * The entity type selection language (clause 4.17): `A,B` or `A|B` any of them, `A;B` all of
 * them, with parentheses: `(Building;Vehicle)|Device`.
 */
export function parseTypeExpression(text: string): BooleanExpression<string> {
  return parseBooleanExpression(text, 'type', (source, at) => {
    TYPE_NAME.lastIndex = at;
    const found = TYPE_NAME.exec(source);
    return found ? { leaf: found[0], end: at + found[0].length } : undefined;
  });
}
