import { AuditEntry, chainHash, ChainedAuditEntry, GENESIS_HASH, verifyChain } from 'src/governance/audit/audit-chain';

function chain(entries: AuditEntry[]): ChainedAuditEntry[] {
  let previousHash = GENESIS_HASH;
  return entries.map((entry, i) => {
    const hash = chainHash(previousHash, entry);
    const record = { ...entry, seq: String(i + 1), previousHash, hash };
    previousHash = hash;
    return record;
  });
}

const entries: AuditEntry[] = [1, 2, 3].map((n) => ({
  at: new Date(Date.UTC(2026, 10, 24, 10, n)),
  actor: `user-${n}`,
  organisation: 'goteborg',
  event: 'dataset.classification-changed',
  target: `dataset-${n}`,
  details: { from: { confidentiality: n }, to: { confidentiality: n + 1 } },
}));

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChain(chain(entries))).toMatchObject({ valid: true, checked: 3 });
  });

  it('does not depend on the order of keys in details', () => {
    const a = { ...entries[0], details: { x: 1, y: 2 } };
    const b = { ...entries[0], details: { y: 2, x: 1 } };
    expect(chainHash(GENESIS_HASH, a)).toBe(chainHash(GENESIS_HASH, b));
  });

  it('detects a changed record, a removed record and a reordering', () => {
    const changed = chain(entries);
    changed[1] = { ...changed[1], details: { to: { confidentiality: 0 } } };
    expect(verifyChain(changed)).toMatchObject({ valid: false, firstBrokenSeq: '2', reason: expect.stringContaining('content') });

    const removed = chain(entries);
    removed.splice(1, 1);
    expect(verifyChain(removed)).toMatchObject({ valid: false, firstBrokenSeq: '3' });

    const reordered = chain(entries);
    [reordered[0], reordered[1]] = [reordered[1], reordered[0]];
    expect(verifyChain(reordered)).toMatchObject({ valid: false, firstBrokenSeq: '2' });
  });
});
