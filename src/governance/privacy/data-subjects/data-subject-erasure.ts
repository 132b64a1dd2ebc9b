import { SqlTransaction } from 'src/database/sql';
import { EntityWrites } from 'src/ngsi-ld/entities/entity-writes';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { EntityCursor, findPage } from 'src/governance/privacy/data-subjects/subject-match.sql';
import {
  ErasureCount,
  erasedAttributes,
  holdsSubject,
  ruleFor,
  SubjectDataset,
  withoutAttributes,
} from 'src/governance/privacy/data-subjects/data-subject';

/** Entities erased per statement batch: their locks, ids and JSON travel together. */
const PAGE = 200;

type Tally = Omit<ErasureCount, 'dataset' | 'organisation' | 'rule'>;
const add = (a: Tally, b: Tally): Tally => ({
  entities: a.entities + b.entities,
  historyRows: a.historyRows + b.historyRows,
  changeRows: a.changeRows + b.changeRows,
  notifications: a.notifications + b.notifications,
});

/**
 * Erases a data subject's data, inside one transaction: the entities through the write path's own
 * statements (`EntityWrites`: they keep the value index and record the change, so subscribers
 * hear of it), then what those statements leave behind, which the subject's data lives on in:
 * history rows, earlier change records and what subscribers have pending of them.
 */
export class DataSubjectErasure {
  constructor(
    readonly transaction: SqlTransaction,
    private readonly now: Date,
  ) {}

  /** Erases the subject's entities of one dataset by its rule; returns what went. */
  async eraseIn(dataset: SubjectDataset, subjectId: string): Promise<ErasureCount> {
    const rule = ruleFor(dataset);
    let tally: Tally = { entities: 0, historyRows: 0, changeRows: 0, notifications: 0 };
    let after: EntityCursor | undefined;
    for (;;) {
      const page = await findPage(this.transaction, dataset, subjectId, after, PAGE);
      if (page.length === 0) break;
      after = { tenant: page[page.length - 1].tenant, id: page[page.length - 1].entity.id };
      for (const [tenant, ids] of byTenant(page)) {
        const writes = new EntityWrites(tenant, this.transaction);
        // Locked, then checked again: a write between the search and the lock may have changed whose they are.
        const locked = [...(await writes.lock(ids, [dataset.dataset])).values()].filter((e) => holdsSubject(e, dataset.subjectAttribute, subjectId));
        if (locked.length === 0) continue;
        const done = rule === 'delete' ? await this.delete(writes, locked, dataset.dataset) : await this.anonymise(writes, locked, erasedAttributes(dataset));
        tally = add(tally, done);
      }
    }
    return { dataset: dataset.dataset, organisation: dataset.organisation, rule, ...tally };
  }

  /**
   * Deletes the entities with their history (the write path's delete), after removing every
   * earlier change record of them and what subscribers had pending of those. The deletion record
   * the delete writes stays, emptied of attributes: subscribers who copied the entities learn that
   * they are gone (GDPR Art. 19), from a record that holds nothing but the id and types.
   */
  private async delete(writes: EntityWrites, entities: readonly EntityData[], dataset: string): Promise<Tally> {
    const tenant = writes.tenant;
    const ids = entities.map((e) => e.id);
    const { rows: history } = await this.transaction.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM attribute_instance WHERE tenant = $1 AND entity_id = ANY ($2::text[])',
      [tenant, ids],
    );
    const changes = await this.dropChanges(tenant, ids);
    const deleted = await writes.delete(ids, [dataset]);
    await this.transaction.query(
      `UPDATE change SET attrs = '{}', previous = '{}', created_attrs = '{}' WHERE tenant = $1 AND entity_id = ANY ($2::text[]) AND operation = 'delete'`,
      [tenant, ids],
    );
    return { entities: deleted.size, historyRows: history[0].count, ...changes };
  }

  /**
   * Removes the erased attributes from the entities' current state (the write path's update,
   * recording no history), deletes their history, and strips them from every change record of the
   * entities: values go, an attribute's type and datasetId stay in `previous`, so that the update
   * this erasure records still tells subscribers which attributes were deleted.
   */
  private async anonymise(writes: EntityWrites, entities: readonly EntityData[], erased: readonly string[]): Promise<Tally> {
    const tenant = writes.tenant;
    const ids = entities.map((e) => e.id);
    await writes.update(entities.map((e) => ({ ...e, attributes: withoutAttributes(e.attributes, erased) })), this.now, 'none');
    const { rowCount: historyRows } = await this.transaction.query(
      'DELETE FROM attribute_instance WHERE tenant = $1 AND entity_id = ANY ($2::text[]) AND attribute = ANY ($3::text[])',
      [tenant, ids, erased],
    );
    const { rows: scrubbed } = await this.transaction.query<{ position: string | null }>(
      `UPDATE change c SET attrs = c.attrs - $3::text[],
         previous = (SELECT coalesce(jsonb_object_agg(p.key, CASE WHEN p.key = ANY ($3::text[]) THEN
             (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('type', i -> 'type', 'datasetId', i -> 'datasetId'))), '[]')
              FROM jsonb_array_elements(p.value) i)
           ELSE p.value END), '{}') FROM jsonb_each(c.previous) p)
       WHERE c.tenant = $1 AND c.entity_id = ANY ($2::text[]) AND (c.attrs ?| $3::text[] OR c.previous ?| $3::text[])
       RETURNING c.position`,
      [tenant, ids, erased],
    );
    const positions = scrubbed.map((row) => row.position).filter((p): p is string => p !== null);
    const { rows: pending } = await this.transaction.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM pending_notification WHERE position = ANY ($1::bigint[])',
      [positions],
    );
    return { entities: entities.length, historyRows, changeRows: scrubbed.length, notifications: pending[0].count };
  }

  /**
   * Deletes the change records of the entities and then what subscribers had pending of them.
   * Two statements: the second sees pending rows a sequencer committed while the first waited
   * for its row locks, which one statement's snapshot would miss.
   */
  private async dropChanges(tenant: string, ids: readonly string[]): Promise<{ changeRows: number; notifications: number }> {
    const { rows } = await this.transaction.query<{ position: string | null }>(
      'DELETE FROM change WHERE tenant = $1 AND entity_id = ANY ($2::text[]) RETURNING position',
      [tenant, ids],
    );
    const positions = rows.map((row) => row.position).filter((p): p is string => p !== null);
    const { rowCount } = await this.transaction.query('DELETE FROM pending_notification WHERE position = ANY ($1::bigint[])', [positions]);
    return { changeRows: rows.length, notifications: rowCount };
  }
}

function byTenant(page: readonly { tenant: string; entity: EntityData }[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { tenant, entity } of page) groups.set(tenant, [...(groups.get(tenant) ?? []), entity.id]);
  return groups;
}
