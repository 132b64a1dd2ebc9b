import { PREPARED, SqlTransaction } from 'src/database/sql';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { ENTITY_COLUMNS, EntityRow, toEntityData } from 'src/ngsi-ld/entities/entity-row.mapper';
import type { DatasetAllowance } from 'src/ngsi-ld/entities/entities.repository';
import { placedDataset, placementRules, RULES_LOCK } from 'src/governance/datasets/dataset-placement.sql';
import { historyOfDeleted, historyOfWritten } from 'src/ngsi-ld/temporal/history.sql';
import { changesOfDeleted, changesOfWritten } from 'src/changes/change-records.sql';
import { valueRows } from 'src/ngsi-ld/entities/value-index';
import { valuesOfDeleted, valuesOfWritten } from 'src/ngsi-ld/entities/value-index.sql';

/**
 * Entities travel to bulk statements as one JSON parameter ($2), unpacked by jsonb_to_recordset.
 * The LIMIT (their number) tells the planner how many there are, which it cannot know of a
 * function's result: one entity is looked up by its key, not joined by hash with the whole store.
 */
const RECORDS = `(SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(id text, types text[], scopes text[], attrs jsonb, dataset uuid)
  LIMIT jsonb_array_length($2::jsonb)) AS r`;
/**
 * Writes of up to this many entities use the prepared statement; larger batches are planned for
 * their size. A prepared statement's generic plan cannot see the size the RECORDS limit gives
 * (it assumes ten rows), and joins the batch's CTEs by nested loops: a batch of 1,000 spent 560 of
 * its 740 ms joining every written entity with every prior one (measured with auto_explain).
 */
const PREPARED_BATCH_MAX = 10;
const preparedFor = (entities: readonly unknown[]) => (entities.length <= PREPARED_BATCH_MAX ? PREPARED : undefined);

/** Locks the visible ones of some entities ($1 tenant, $2 ids, $3 visible datasets), in id order against deadlocks. */
const LOCK_VISIBLE = 'WHERE e.tenant = $1 AND e.id = ANY($2::text[]) AND e.dataset_id = ANY ($3::uuid[]) ORDER BY e.id FOR UPDATE';

/** Where each entity goes; and the organisation's default dataset, if placing them created it. */
export interface Placements {
  readonly byEntity: Map<string, Placement>;
  readonly createdDefault?: string;
}

/** What decides where an entity belongs and who may write it. */
export type EntityHead = Pick<EntityData, 'id' | 'types' | 'datasetId'>;

/** Where an entity would belong: the dataset its organisation's rules pick, and that organisation. */
export interface Placement {
  readonly datasetId: string;
  readonly organisation: string;
}

/** The statements of the write path, bound to one tenant and one transaction; one per batch, not per entity. */
export class EntityWrites {
  constructor(
    readonly tenant: string,
    private readonly tx: SqlTransaction,
  ) {}

  /** The transaction itself, for what must commit with the entities (audit records, history, changes). */
  get transaction(): SqlTransaction {
    return this.tx;
  }

  /**
   * The current state of these entities, locked until the transaction ends (in id order, against
   * deadlocks). Entities outside `visible` are not returned: to the caller they do not exist.
   */
  async lock(ids: readonly string[], visible: DatasetAllowance): Promise<Map<string, EntityData>> {
    const { rows } = await this.tx.query<EntityRow>(
      `SELECT ${ENTITY_COLUMNS} FROM entity e ${LOCK_VISIBLE}`,
      [this.tenant, ids, visible],
      PREPARED,
    );
    return new Map(rows.map((row) => [row.id, toEntityData(row)]));
  }

  /** Like {@link lock}, without the attributes: for writes that replace entities whole. */
  async lockHeads(ids: readonly string[], visible: DatasetAllowance): Promise<Map<string, EntityHead>> {
    const { rows } = await this.tx.query<{ id: string; types: string[]; dataset_id: string }>(
      `SELECT e.id, e.types, e.dataset_id FROM entity e ${LOCK_VISIBLE}`,
      [this.tenant, ids, visible],
      PREPARED,
    );
    return new Map(rows.map((row) => [row.id, { id: row.id, types: row.types, datasetId: row.dataset_id }]));
  }

  /**
   * The datasets these entities belong to by their organisation's rules (the most specific rule
   * of its active datasets, else its default dataset, created when first needed). Holds the
   * organisation's rules lock shared until commit, so a rule change cannot interleave.
   */
  async place(organisation: string, entities: readonly Pick<EntityData, 'id' | 'types'>[]): Promise<Placements> {
    // The default dataset is made (when missing) in a statement of its own: rows a function
    // inserts are not visible to the statement that called it.
    const { rows: defaults } = await this.tx.query<{ dataset: string; created: boolean }>(
      `SELECT d.dataset, d.created FROM pg_advisory_xact_lock_shared(${RULES_LOCK}) AS l, vgds_default_dataset($1) AS d`,
      [organisation],
      PREPARED,
    );
    const { rows } = await this.tx.query<{ id: string; dataset: string }>(
      `WITH ${placementRules('$1', '$2')}
       SELECT r.id, ${placedDataset('$2', 'r.id', 'r.types')} AS dataset
       FROM jsonb_to_recordset($3::jsonb) AS r(id text, types text[])`,
      [organisation, this.tenant, JSON.stringify(entities.map((e) => ({ id: e.id, types: e.types })))],
      PREPARED,
    );
    return {
      byEntity: new Map(rows.map((row) => [row.id, { datasetId: row.dataset, organisation }])),
      createdDefault: defaults[0].created ? defaults[0].dataset : undefined,
    };
  }


  /**
   * Inserts new entities (each with its dataset); returns the ids that were new (the others exist
   * already). Their attributes become history too, unless the caller records history itself.
   */
  async insert(entities: readonly EntityData[], now: Date, explicit: boolean, history: HistoryMode = 'record'): Promise<Set<string>> {
    if (entities.length === 0) return new Set();
    const insert = `INSERT INTO entity (tenant, id, types, scopes, attrs, created_at, modified_at, dataset_id, dataset_explicit)
       SELECT $1, r.id, r.types, r.scopes, r.attrs, $3, $3, r.dataset, $4 FROM ${RECORDS}
       ON CONFLICT (tenant, id) DO NOTHING RETURNING ${WRITTEN}`;
    const { rows } = await this.tx.query<{ id: string }>(withRecords(insert, history, '$5'), [this.tenant, records(entities), now, explicit, valueRecords(entities)], preparedFor(entities));
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Inserts or wholly replaces entities (creation time kept). An existing entity is replaced only
   * when its dataset is in `writable` (checked by the statement itself, so a concurrent insert
   * cannot slip past). Returns the ids written and, of those, the ones created.
   */
  async upsert(entities: readonly EntityData[], now: Date, writable: DatasetAllowance, explicit: boolean): Promise<{ written: Set<string>; created: Set<string> }> {
    const { rows } = await this.tx.query<{ id: string; created: boolean }>(
      withRecords(`INSERT INTO entity AS e (tenant, id, types, scopes, attrs, created_at, modified_at, dataset_id, dataset_explicit)
       SELECT $1, r.id, r.types, r.scopes, r.attrs, $3, $3, r.dataset, $5 FROM ${RECORDS}
       ON CONFLICT (tenant, id) DO UPDATE
         SET types = EXCLUDED.types, scopes = EXCLUDED.scopes, attrs = EXCLUDED.attrs, modified_at = EXCLUDED.modified_at,
             dataset_id = CASE WHEN $5 OR NOT e.dataset_explicit THEN EXCLUDED.dataset_id ELSE e.dataset_id END,
             dataset_explicit = e.dataset_explicit OR $5
         WHERE e.dataset_id = ANY ($4::uuid[])
       RETURNING (xmax = 0) AS created, ${WRITTEN}`, 'record', '$6'),
      [this.tenant, records(entities), now, writable, explicit, valueRecords(entities)],
      preparedFor(entities),
    );
    return { written: new Set(rows.map((row) => row.id)), created: new Set(rows.filter((row) => row.created).map((row) => row.id)) };
  }

  /** Stores new states (and datasets) of existing entities, with the history of what they changed unless told otherwise. */
  async update(entities: readonly EntityData[], now: Date, history: HistoryMode = 'record'): Promise<void> {
    if (entities.length === 0) return;
    const update = `UPDATE entity e SET types = r.types, scopes = r.scopes, attrs = r.attrs, modified_at = $3,
         dataset_id = CASE WHEN e.dataset_explicit THEN e.dataset_id ELSE coalesce(r.dataset, e.dataset_id) END
       FROM ${RECORDS} WHERE e.tenant = $1 AND e.id = r.id RETURNING ${WRITTEN_E}`;
    await this.tx.query(withRecords(update, history, '$4'), [this.tenant, records(entities), now, valueRecords(entities)], preparedFor(entities));
  }

  /** Deletes entities and their history (recording the deletions), only in writable datasets; returns the ids deleted. */
  async delete(ids: readonly string[], writable: DatasetAllowance): Promise<Set<string>> {
    const { rows } = await this.tx.query<{ id: string }>(
      `WITH gone AS (DELETE FROM entity WHERE tenant = $1 AND id = ANY($2::text[]) AND dataset_id = ANY ($3::uuid[]) RETURNING ${WRITTEN}),
         history AS (${historyOfDeleted('gone', '$1')}),
         changes AS (${changesOfDeleted('gone', '$1')}),
         values_gone AS (${valuesOfDeleted('gone', '$1')})
       SELECT id FROM gone`,
      [this.tenant, ids, writable],
    );
    return new Set(rows.map((row) => row.id));
  }
}

/** 'record': the statement records what it wrote as history; 'none': the caller records history itself (temporal and device writes). */
export type HistoryMode = 'record' | 'none';

/** What write statements return: what history and change records are made of. */
const WRITTEN = 'id, types, scopes, attrs, dataset_id, created_at, modified_at';
const WRITTEN_E = WRITTEN.split(', ').map((column) => `e.${column}`).join(', ');

/**
 * Wraps a write statement that returns {@link WRITTEN} so that it also records its changes, keeps
 * the value index of the attributes it changed (rows given in the parameter `values`) and, unless
 * told otherwise, records history. `prior` is each written entity as it was before the statement
 * (sub-statements of one WITH share its snapshot, and write paths lock entities first), read once
 * by key for all three.
 */
function withRecords(statement: string, history: HistoryMode, values: string): string {
  const prior = `prior AS (SELECT w.id, b.id IS NOT NULL AS existed, b.types, b.scopes, b.attrs, b.dataset_id
    FROM written AS w LEFT JOIN entity AS b ON b.tenant = $1 AND b.id = w.id)`;
  const parts = [
    `written AS (${statement})`,
    prior,
    ...(history === 'record' ? [`history AS (${historyOfWritten('written', 'prior', '$1')})`] : []),
    `changes AS (${changesOfWritten('written', 'prior', '$1')})`,
    valuesOfWritten('written', 'prior', '$1', values),
  ];
  return `WITH ${parts.join(',\n')} SELECT * FROM written`;
}

function valueRecords(entities: readonly EntityData[]): string {
  return JSON.stringify(entities.flatMap((e) => valueRows(e.id, e.attributes)));
}

function records(entities: readonly EntityData[]): string {
  return JSON.stringify(entities.map((e) => ({ id: e.id, types: e.types, scopes: e.scopes, attrs: e.attributes, dataset: e.datasetId ?? null })));
}
