import { Injectable } from '@nestjs/common';
import { Sql } from 'src/database/sql';

/** What one batch adds to one device's status. */
export interface DeviceStatusDelta {
  readonly deviceId: string;
  readonly accepted: number;
  readonly rejected: number;
  /** When its latest accepted message arrived. */
  readonly lastSeen: string | null;
  readonly lastError: { readonly at: string; readonly reason: string } | null;
}

export interface DeviceStatusRecord {
  readonly lastSeen: Date | null;
  readonly accepted: number;
  readonly rejected: number;
  readonly lastErrorAt: Date | null;
  readonly lastErrorReason: string | null;
}

/** The `device_status` table: counters added to once per batch, not once per message. */
@Injectable()
export class DeviceStatusRepository {
  constructor(private readonly sql: Sql) {}

  async find(deviceId: string): Promise<DeviceStatusRecord | undefined> {
    const { rows } = await this.sql.query<DeviceStatusRecord>(
      `SELECT last_seen AS "lastSeen", accepted::float8 AS accepted, rejected::float8 AS rejected,
              last_error_at AS "lastErrorAt", last_error_reason AS "lastErrorReason"
       FROM device_status WHERE device_id = $1`,
      [deviceId],
    );
    return rows[0];
  }

  /**
   * Adds a batch's counts, in one statement. Rows go in device order, so that replicas updating
   * the same devices lock them in the same order; devices deleted meanwhile are skipped. The
   * commit does not wait for its WAL flush: these are counters (a crash may lose the last batch's
   * counts), and the next batch need not wait for a second disk flush.
   */
  async add(deltas: readonly DeviceStatusDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const rows = [...deltas]
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))
      .map((d) => ({ device_id: d.deviceId, accepted: d.accepted, rejected: d.rejected, last_seen: d.lastSeen, error_at: d.lastError?.at ?? null, error_reason: d.lastError?.reason ?? null }));
    await this.sql.transaction(async (tx) => {
      await tx.query('SET LOCAL synchronous_commit = off');
      await tx.query(ADD_STATEMENT, [JSON.stringify(rows)]);
    });
  }
}

const ADD_STATEMENT = `
  INSERT INTO device_status AS s (device_id, last_seen, accepted, rejected, last_error_at, last_error_reason)
  SELECT r.device_id, r.last_seen, r.accepted, r.rejected, r.error_at, r.error_reason
  FROM jsonb_to_recordset($1::jsonb) AS r(device_id uuid, last_seen timestamptz, accepted bigint, rejected bigint, error_at timestamptz, error_reason text)
  WHERE EXISTS (SELECT 1 FROM device d WHERE d.id = r.device_id)
  ON CONFLICT (device_id) DO UPDATE SET
    last_seen = greatest(s.last_seen, excluded.last_seen),
    accepted = s.accepted + excluded.accepted,
    rejected = s.rejected + excluded.rejected,
    last_error_at = CASE WHEN excluded.last_error_at >= s.last_error_at OR s.last_error_at IS NULL THEN coalesce(excluded.last_error_at, s.last_error_at) ELSE s.last_error_at END,
    last_error_reason = CASE WHEN excluded.last_error_at >= s.last_error_at OR s.last_error_at IS NULL THEN coalesce(excluded.last_error_reason, s.last_error_reason) ELSE s.last_error_reason END`;
