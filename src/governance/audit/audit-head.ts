import { createHmac, timingSafeEqual } from 'node:crypto';

/** The audit log's head record: its newest record as the appends left it (migration 1764510000000). */
export interface AuditHead {
  readonly seq: string;
  readonly hash: string;
  /** HMAC-SHA256 over seq and hash with AUDIT_SIGNING_KEY; null when written without a key. */
  readonly signature: string | null;
}

/** The signature of a head, or null without a key. */
export function signHead(key: string | undefined, seq: string, hash: string): string | null {
  return key === undefined ? null : createHmac('sha256', key).update(`${seq}:${hash}`).digest('hex');
}

/** What is known besides the rows: the head, the newest record walked, the key, what this process wrote. */
export interface HeadEvidence {
  readonly head: AuditHead | undefined;
  /** The newest record of the chain as walked, if any. */
  readonly newest: { readonly seq: string; readonly hash: string } | undefined;
  readonly signingKey: string | undefined;
  /** The highest seq this process appended (a head below it was moved back while it ran). */
  readonly newestWrittenSeq: bigint | undefined;
}

/**
 * Why the head and the chain disagree, or undefined when they agree. Run after the chain itself
 * verified: a chain that links can still have lost its newest records, which only the head shows.
 */
export function headProblem({ head, newest, signingKey, newestWrittenSeq }: HeadEvidence): string | undefined {
  if (head === undefined) return newest === undefined ? undefined : 'the head record is missing: it was deleted behind the trigger';
  if (signingKey !== undefined) {
    if (head.signature === null) return 'the head is not signed: AUDIT_SIGNING_KEY was set after it was written (the next audit record signs it), or its signature was removed';
    if (!signatureMatches(head.signature, signHead(signingKey, head.seq, head.hash)!)) return 'the head signature does not verify: the head was rewritten without the signing key';
  }
  if (newestWrittenSeq !== undefined && BigInt(head.seq) < newestWrittenSeq) {
    return `the head was moved back: it names seq ${head.seq}, but this service wrote seq ${newestWrittenSeq}`;
  }
  if (newest === undefined) return `the newest records were removed: the log is empty, but its head names seq ${head.seq}`;
  const [last, named] = [BigInt(newest.seq), BigInt(head.seq)];
  if (last < named) return `the newest records were removed: the log ends at seq ${newest.seq}, but its head names seq ${head.seq}`;
  if (last > named) return `records were added behind the service: the log ends at seq ${newest.seq}, but its head names seq ${head.seq}`;
  if (newest.hash !== head.hash) return `the newest record is not the one the head names (seq ${head.seq}): it was replaced`;
  return undefined;
}

function signatureMatches(presented: string, expected: string): boolean {
  const [a, b] = [Buffer.from(presented, 'hex'), Buffer.from(expected, 'hex')];
  return a.length === b.length && timingSafeEqual(a, b);
}
