import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';
import { StandingPrincipal } from 'src/governance/standing-principal';
import { CHANGE_COLUMNS, ChangeRecord, ChangeRow, toChangeRecord } from 'src/changes/change-record';
import { SubscriptionDefinition } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';

export interface SubscriptionRecord {
  readonly key: string;
  readonly tenant: string;
  readonly id: string;
  readonly owner: StandingPrincipal;
  readonly organisation: string | null;
  readonly definition: SubscriptionDefinition;
  /** The @context the subscription was made with (as given), `null` for the core context alone. */
  readonly context: unknown;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly status: DeliveryCounters;
  readonly drawnDatasets: readonly string[];
}

export interface DeliveryCounters {
  readonly timesSent: number;
  readonly timesFailed: number;
  readonly lastNotification: Date | null;
  readonly lastSuccess: Date | null;
  readonly lastFailure: Date | null;
  readonly lastFailureReason: string | null;
}

/** Counters to add to a subscription's row (what one replica saw since its last flush). */
export interface CounterDelta extends Omit<DeliveryCounters, 'timesSent' | 'timesFailed'> {
  readonly key: string;
  readonly sent: number;
  readonly failed: number;
}

/** Who may see a subscription: its owner, the admins of its organisation, platform admins. */
export interface SubscriptionAudience {
  readonly subject: string;
  readonly administeredOrganisations: readonly string[];
  readonly all: boolean;
}

interface Row {
  key: string;
  tenant: string;
  id: string;
  owner: StandingPrincipal;
  organisation: string | null;
  definition: SubscriptionDefinition;
  jsonld_context: unknown;
  created_at: Date;
  modified_at: Date;
  times_sent: string;
  times_failed: string;
  last_notification: Date | null;
  last_success: Date | null;
  last_failure: Date | null;
  last_failure_reason: string | null;
  drawn_datasets: string[];
}

const COLUMNS = `s.key, s.tenant, s.id, s.owner, s.organisation, s.definition, s.jsonld_context, s.created_at, s.modified_at, s.times_sent,
  s.times_failed, s.last_notification, s.last_success, s.last_failure, s.last_failure_reason, s.drawn_datasets`;
const VISIBLE = `(s.owner->>'subject' = $2 OR s.organisation = ANY ($3::text[]) OR $4)`;
/** Every change of a definition moves the version, so that the leading replica reloads. */
const BUMP = 'UPDATE change_clock SET subscriptions_version = subscriptions_version + 1 WHERE id = 1';

/** The `subscription` table and the pending notifications of each subscription. */
@Injectable()
export class SubscriptionsRepository {
  constructor(private readonly sql: Sql) {}

  /** Inserts a subscription; false when its id is taken in the tenant. */
  async insert(tenant: string, definition: SubscriptionDefinition, owner: StandingPrincipal, context: unknown, now: Date): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO subscription (tenant, id, owner, organisation, definition, jsonld_context, is_active, expires_at, created_at, modified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (tenant, id) DO NOTHING`,
        [tenant, definition.id, owner, owner.organisation ?? null, definition, JSON.stringify(context ?? null), definition.isActive, definition.expiresAt ?? null, now],
      );
      if (rowCount > 0) await tx.query(BUMP);
      return rowCount > 0;
    });
  }

  async find(tenant: string, id: string, audience: SubscriptionAudience): Promise<SubscriptionRecord | undefined> {
    const { rows } = await this.sql.query<Row>(
      `SELECT ${COLUMNS} FROM subscription s WHERE s.tenant = $1 AND s.id = $5 AND ${VISIBLE}`,
      [tenant, audience.subject, audience.administeredOrganisations, audience.all, id],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(tenant: string, audience: SubscriptionAudience, limit: number, offset: number): Promise<{ records: SubscriptionRecord[]; total: number }> {
    const params = [tenant, audience.subject, audience.administeredOrganisations, audience.all];
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.sql.query<Row>(`SELECT ${COLUMNS} FROM subscription s WHERE s.tenant = $1 AND ${VISIBLE} ORDER BY s.id LIMIT $5 OFFSET $6`, [...params, limit, offset]),
      this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM subscription s WHERE s.tenant = $1 AND ${VISIBLE}`, params),
    ]);
    return { records: rows.map(toRecord), total: counted[0].total };
  }

  async replace(tenant: string, definition: SubscriptionDefinition, now: Date): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(
        'UPDATE subscription SET definition = $3, is_active = $4, expires_at = $5, modified_at = $6 WHERE tenant = $1 AND id = $2',
        [tenant, definition.id, definition, definition.isActive, definition.expiresAt ?? null, now],
      );
      await tx.query(BUMP);
    });
  }

  /** Deletes a subscription and what it had pending. */
  async delete(tenant: string, id: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query('DELETE FROM subscription WHERE tenant = $1 AND id = $2', [tenant, id]);
      await tx.query(BUMP);
    });
  }

  /** Every subscription of every tenant: what the leading replica matches changes against. */
  async all(tx: Pick<SqlTransaction, 'query'> = this.sql): Promise<{ version: string; records: SubscriptionRecord[] }> {
    const { rows: clock } = await tx.query<{ version: string }>('SELECT subscriptions_version AS version FROM change_clock WHERE id = 1');
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM subscription s ORDER BY s.key`);
    return { version: clock[0].version, records: rows.map(toRecord) };
  }

  async version(): Promise<string> {
    const { rows } = await this.sql.query<{ version: string }>('SELECT subscriptions_version AS version FROM change_clock WHERE id = 1');
    return rows[0].version;
  }

  /** Records, in the sequencer's transaction, which subscriptions are to be notified of which changes. */
  async addPending(tx: SqlTransaction, keys: readonly string[], positions: readonly number[]): Promise<void> {
    if (keys.length === 0) return;
    await tx.query(
      'INSERT INTO pending_notification (subscription_key, position) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING',
      [keys, positions],
    );
  }

  /** The oldest changes a subscription has yet to receive, in feed order. */
  async pending(key: string, limit: number): Promise<ChangeRecord[]> {
    const { rows } = await this.sql.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM pending_notification p JOIN change c ON c.position = p.position
       WHERE p.subscription_key = $1 ORDER BY p.position LIMIT $2`,
      [key, limit],
    );
    return rows.map(toChangeRecord);
  }

  async pendingCount(key: string): Promise<number> {
    const { rows } = await this.sql.query<{ count: number }>('SELECT count(*)::int AS count FROM pending_notification WHERE subscription_key = $1', [key]);
    return rows[0].count;
  }

  async addCounters(deltas: readonly CounterDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.sql.query(
      `UPDATE subscription s SET times_sent = s.times_sent + d.sent, times_failed = s.times_failed + d.failed,
         last_notification = coalesce(d.last_notification, s.last_notification), last_success = coalesce(d.last_success, s.last_success),
         last_failure = coalesce(d.last_failure, s.last_failure), last_failure_reason = coalesce(d.last_failure_reason, s.last_failure_reason)
       FROM jsonb_to_recordset($1::jsonb) AS d(key bigint, sent int, failed int, last_notification timestamptz, last_success timestamptz,
         last_failure timestamptz, last_failure_reason text)
       WHERE s.key = d.key`,
      [JSON.stringify(deltas.map((d) => ({ key: d.key, sent: d.sent, failed: d.failed, last_notification: d.lastNotification, last_success: d.lastSuccess, last_failure: d.lastFailure, last_failure_reason: d.lastFailureReason })))],
    );
  }

  async addDrawnDatasets(key: string, datasets: readonly string[]): Promise<void> {
    await this.sql.query(
      `UPDATE subscription SET drawn_datasets = ARRAY(SELECT DISTINCT unnest(drawn_datasets || $2::uuid[])) WHERE key = $1`,
      [key, datasets],
    );
  }
}

function toRecord(row: Row): SubscriptionRecord {
  return {
    key: row.key,
    tenant: row.tenant,
    id: row.id,
    owner: row.owner,
    organisation: row.organisation,
    definition: row.definition,
    context: row.jsonld_context ?? undefined,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    status: {
      timesSent: Number(row.times_sent),
      timesFailed: Number(row.times_failed),
      lastNotification: row.last_notification,
      lastSuccess: row.last_success,
      lastFailure: row.last_failure,
      lastFailureReason: row.last_failure_reason,
    },
    drawnDatasets: row.drawn_datasets,
  };
}
