import type { AuditEvent } from 'src/governance/audit/audit-log.service';

/** The audit event every retention run writes (one record per organisation it concerned). */
export const RETENTION_EVENT = 'retention.run';

/** What a run deleted of one dataset. */
export interface RetentionCounts {
  historyRows: number;
  partitionsDropped: number;
  changeRows: number;
  notifications: number;
  entities: number;
}

/** A dataset with a retention period, and the time before which its data is due (now minus the period, from the database's clock). */
export interface DueDataset {
  readonly dataset: string;
  readonly organisation: string;
  readonly retentionPeriod: string;
  readonly cutoff: Date;
  /** Whether entities not modified since the cutoff go too (retention_includes_current). */
  readonly includesCurrent: boolean;
}

export interface DatasetReceipt extends RetentionCounts {
  readonly dataset: string;
  readonly organisation: string;
  readonly retentionPeriod: string;
  readonly cutoff: string;
}

/** What a run did: the answer of POST /api/v1/retention/runs and the audit records' details. */
export interface RetentionReceipt {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly datasets: readonly DatasetReceipt[];
  readonly readLogRows: number;
}

/** A retention record as read back from the audit log. */
export interface RetentionAuditRecord {
  readonly target: string;
  readonly organisation: string | null;
  readonly details: Partial<Omit<RetentionReceipt, 'id'>>;
}

export const noCounts = (): RetentionCounts => ({ historyRows: 0, partitionsDropped: 0, changeRows: 0, notifications: 0, entities: 0 });

/** Adds `n` to one count of a dataset; datasets outside the run (no period, out of scope) are ignored. */
export function addCount(counts: Map<string, RetentionCounts>, dataset: string, key: keyof RetentionCounts, n: number): void {
  const of = counts.get(dataset);
  if (of) of[key] += n;
}

export function receiptOf(
  id: string,
  span: { startedAt: Date; finishedAt: Date },
  due: readonly DueDataset[],
  counts: ReadonlyMap<string, RetentionCounts>,
  readLogByOrganisation: ReadonlyMap<string, number>,
): RetentionReceipt {
  return {
    id,
    startedAt: span.startedAt.toISOString(),
    finishedAt: span.finishedAt.toISOString(),
    datasets: inOrder(due).map((d) => ({
      dataset: d.dataset,
      organisation: d.organisation,
      retentionPeriod: d.retentionPeriod,
      cutoff: d.cutoff.toISOString(),
      ...(counts.get(d.dataset) ?? noCounts()),
    })),
    readLogRows: sum(readLogByOrganisation.values()),
  };
}

/**
 * The audit records of a run: one per organisation whose datasets or read log it examined, so that
 * each organisation's admins find what was deleted of theirs in its part of the log; one without
 * an organisation when it concerned none. All name the run (target), so a receipt can be read back.
 */
export function auditEventsOf(receipt: RetentionReceipt, readLogByOrganisation: ReadonlyMap<string, number>): AuditEvent[] {
  const organisations = [...new Set([...receipt.datasets.map((d) => d.organisation), ...readLogByOrganisation.keys()])].sort();
  const details = (organisation?: string) => ({
    startedAt: receipt.startedAt,
    finishedAt: receipt.finishedAt,
    datasets: receipt.datasets.filter((d) => organisation === undefined || d.organisation === organisation),
    readLogRows: organisation === undefined ? receipt.readLogRows : (readLogByOrganisation.get(organisation) ?? 0),
  });
  if (organisations.length === 0) return [{ event: RETENTION_EVENT, target: receipt.id, details: details() }];
  return organisations.map((organisation) => ({ event: RETENTION_EVENT, target: receipt.id, organisation, details: details(organisation) }));
}

/** A receipt put together again from the audit records of one run (those the reader may see). */
export function receiptFromAudit(records: readonly RetentionAuditRecord[]): RetentionReceipt | null {
  if (records.length === 0) return null;
  const times = (key: 'startedAt' | 'finishedAt') => records.map((r) => r.details[key]).filter((t): t is string => typeof t === 'string').sort();
  return {
    id: records[0].target,
    startedAt: times('startedAt')[0] ?? '',
    finishedAt: times('finishedAt').at(-1) ?? '',
    datasets: inOrder(records.flatMap((r) => r.details.datasets ?? [])),
    readLogRows: sum(records.map((r) => r.details.readLogRows ?? 0)),
  };
}

/** By organisation, then dataset: the same order however the records were split. */
function inOrder<T extends { organisation: string; dataset: string }>(datasets: readonly T[]): T[] {
  return [...datasets].sort((a, b) => a.organisation.localeCompare(b.organisation) || a.dataset.localeCompare(b.dataset));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
