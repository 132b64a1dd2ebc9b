import { SqlTransaction } from 'src/database/sql';
import { ENTITY_COLUMNS, EntityRow, toEntityData } from 'src/ngsi-ld/entities/entity-row.mapper';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { ENTITY_ID_SUBJECT, SubjectDataset } from 'src/governance/privacy/data-subjects/data-subject';

/*
 * How the entities of a data subject are found, for the reads of an export and the writes of an
 * erasure alike (which reads them inside its own transaction).
 */

/** An entity of a data subject, wherever (in whichever tenant) it is stored. */
export interface SubjectEntity {
  readonly tenant: string;
  readonly entity: EntityData;
}

/** Where a page of entities ends: the next page starts after it. */
export interface EntityCursor {
  readonly tenant: string;
  readonly id: string;
}

/** Must match the value index's text key (migration LongTextValues1764520000000). */
const TEXT_KEY = (text: string) => `left(${text}, 128)`;

/**
 * The entities of `dataset` ($1) whose subject attribute ($2) holds the subject id ($3): found
 * through the value index, in every tenant (the tenant loop lets each probe use the index, which
 * starts with the tenant), then checked on the JSON itself, which the index only narrows down.
 */
export function holdingCondition(subjectAttribute: string): string {
  // $2 is named in both forms, so that they take the same parameters (PostgreSQL types every one it is given).
  if (subjectAttribute === ENTITY_ID_SUBJECT) return `(e.tenant, e.id) IN (SELECT t.name, $3::text FROM tenant t WHERE $2::text = '${ENTITY_ID_SUBJECT}')`;
  return `(e.tenant, e.id) IN (
      SELECT v.tenant, v.entity_id FROM tenant t JOIN entity_attr_value v ON v.tenant = t.name
      WHERE v.attr = $2 AND ${TEXT_KEY('v.txt')} = ${TEXT_KEY('$3::text')} AND v.txt = $3::text)
    AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.attrs -> $2) i
      WHERE i.value -> 'object' = to_jsonb($3::text) OR i.value -> 'object' @> jsonb_build_array($3::text) OR i.value -> 'value' = to_jsonb($3::text))`;
}

/** One page of the subject's entities in a dataset, in (tenant, id) order, after `after`. */
export async function findPage(
  tx: Pick<SqlTransaction, 'query'>,
  dataset: SubjectDataset,
  subjectId: string,
  after: EntityCursor | undefined,
  limit: number,
): Promise<SubjectEntity[]> {
  const { rows } = await tx.query<EntityRow & { tenant: string }>(
    `SELECT e.tenant, ${ENTITY_COLUMNS} FROM entity e
     WHERE e.dataset_id = $1 AND ${holdingCondition(dataset.subjectAttribute)}
       AND ($4::text IS NULL OR (e.tenant, e.id) > ($4::text, $5::text))
     ORDER BY e.tenant, e.id LIMIT $6`,
    [dataset.dataset, dataset.subjectAttribute, subjectId, after?.tenant ?? null, after?.id ?? null, limit],
  );
  return rows.map((row) => ({ tenant: row.tenant, entity: toEntityData(row) }));
}
