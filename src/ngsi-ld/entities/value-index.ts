import { timestampOf } from 'src/ngsi-ld/query/entity-filter-evaluator';
import { isPlainObject, member, memberItems, scalarOf, ValueMember } from 'src/ngsi-ld/query/json-items';
import { AttributeMap } from 'src/ngsi-ld/representation/entity.model';

/**
 * One row of `entity_attr_value`, the typed index of every scalar a top-level attribute holds,
 * as the write statements store it: `num` as the JSON number, `ts` as microseconds since the epoch
 * (a decimal string: exact, and never a date PostgreSQL would refuse).
 */
export interface ValueRow {
  readonly id: string;
  readonly attr: string;
  readonly member: ValueMember | 'observedAt';
  readonly num?: number;
  readonly txt?: string;
  readonly bool?: boolean;
  readonly ts?: string;
}

/**
 * The value index rows of an entity's attributes, computed here rather than by the database: what
 * `vgds_attribute_items` and `vgds_timestamptz` give the JSON route of a q (Property values and
 * list items, Relationship objects, vocab IRIs, language strings, and each instance's observedAt;
 * typed value objects as their value; date-times with seconds and a zone also as times). A test
 * compares the two routes over many filters and entities.
 */
export function valueRows(id: string, attrs: AttributeMap): ValueRow[] {
  const rows: ValueRow[] = [];
  for (const [attr, instances] of Object.entries(attrs)) {
    for (const [kind, item] of memberItems(instances)) pushRow(rows, id, attr, kind, scalarOf(item));
    for (const observedAt of instances.flatMap((instance) => member(instance, 'observedAt'))) {
      pushRow(rows, id, attr, 'observedAt', scalarOf(observedAt));
    }
  }
  return rows;
}

function pushRow(rows: ValueRow[], id: string, attr: string, kind: ValueRow['member'], scalar: unknown): void {
  const ts = timeOf(scalar);
  if (typeof scalar === 'number') rows.push({ id, attr, member: kind, num: scalar });
  else if (typeof scalar === 'string') rows.push({ id, attr, member: kind, txt: scalar, ...(ts === undefined ? {} : { ts }) });
  else if (typeof scalar === 'boolean') rows.push({ id, attr, member: kind, bool: scalar });
  else if (ts !== undefined) rows.push({ id, attr, member: kind, ts });
}

/** As `vgds_timestamptz` reads an item: a date-time string, or the string `@value` of an object. */
function timeOf(scalar: unknown): string | undefined {
  const text = typeof scalar === 'string' ? scalar : isPlainObject(scalar) && typeof scalar['@value'] === 'string' ? scalar['@value'] : undefined;
  return text === undefined ? undefined : timestampOf(text)?.toString();
}
