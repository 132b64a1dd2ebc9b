import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';

/** What happened, by whom; the audit log's row without its place in the chain. */
export interface AuditEntry {
  readonly at: Date;
  /** The principal's subject (`anonymous`, a token `sub`, `api-key:<id>`). */
  readonly actor: string;
  readonly organisation: string | null;
  readonly event: string;
  readonly target: string | null;
  readonly details: Record<string, unknown>;
}

export interface ChainedAuditEntry extends AuditEntry {
  readonly seq: string;
  readonly previousHash: string;
  readonly hash: string;
}

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the previous record's hash and this record's content in a stable JSON form (keys
 * sorted), so that changing, removing or reordering any record breaks every hash after it.
 */
export function chainHash(previousHash: string, entry: AuditEntry): string {
  const content = stableStringify({
    at: entry.at.toISOString(),
    actor: entry.actor,
    organisation: entry.organisation,
    event: entry.event,
    target: entry.target,
    details: entry.details,
  });
  return createHash('sha256').update(previousHash).update('\n').update(content).digest('hex');
}

export interface ChainVerdict {
  readonly valid: boolean;
  readonly checked: number;
  /** The first record that does not follow from the one before it. */
  readonly firstBrokenSeq?: string;
  readonly reason?: string;
}

/** Checks records in order, continuing from `previousHash` (the hash of the record before the first). */
export function verifyChain(records: readonly ChainedAuditEntry[], previousHash = GENESIS_HASH): ChainVerdict & { lastHash: string } {
  let expectedPrevious = previousHash;
  let checked = 0;
  for (const record of records) {
    if (record.previousHash !== expectedPrevious) {
      return { valid: false, checked, firstBrokenSeq: record.seq, reason: 'does not link to the record before it', lastHash: expectedPrevious };
    }
    if (chainHash(record.previousHash, record) !== record.hash) {
      return { valid: false, checked, firstBrokenSeq: record.seq, reason: 'its content does not match its hash', lastHash: expectedPrevious };
    }
    expectedPrevious = record.hash;
    checked++;
  }
  return { valid: true, checked, lastHash: expectedPrevious };
}
