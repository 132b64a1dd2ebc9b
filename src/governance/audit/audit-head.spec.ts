import { AuditHead, headProblem, HeadEvidence, signHead } from 'src/governance/audit/audit-head';

const KEY = 'a-signing-key-of-at-least-32-characters';
const hashOf = (seq: number) => String(seq).padStart(64, 'f');
const record = (seq: number) => ({ seq: String(seq), hash: hashOf(seq) });
const head = (seq: number, key?: string): AuditHead => ({ ...record(seq), signature: signHead(key, String(seq), hashOf(seq)) });
const evidence = (overrides: Partial<HeadEvidence>): HeadEvidence => ({ head: head(7), newest: record(7), signingKey: undefined, newestWrittenSeq: undefined, ...overrides });

describe('the audit head held against the chain', () => {
  it('agrees with a chain that ends where the head says, signed or not', () => {
    expect(headProblem(evidence({}))).toBeUndefined();
    expect(headProblem(evidence({ head: head(7, KEY), signingKey: KEY, newestWrittenSeq: 7n }))).toBeUndefined();
    expect(headProblem(evidence({ head: undefined, newest: undefined }))).toBeUndefined();
  });

  it('says the newest records were removed when the chain ends before the head', () => {
    expect(headProblem(evidence({ newest: record(5) }))).toBe('the newest records were removed: the log ends at seq 5, but its head names seq 7');
    expect(headProblem(evidence({ newest: undefined }))).toMatch(/log is empty, but its head names seq 7/);
  });

  it('says records were added behind the service when the chain goes past the head', () => {
    expect(headProblem(evidence({ newest: record(9) }))).toMatch(/added behind the service: the log ends at seq 9/);
  });

  it('says the newest record was replaced when its hash is not the head’s', () => {
    expect(headProblem(evidence({ newest: { seq: '7', hash: hashOf(70) } }))).toMatch(/replaced/);
  });

  it('says the head is missing when records exist without one', () => {
    expect(headProblem(evidence({ head: undefined }))).toMatch(/head record is missing/);
  });

  it('with a key, refuses an unsigned head and one signed with another key', () => {
    expect(headProblem(evidence({ signingKey: KEY }))).toMatch(/not signed/);
    expect(headProblem(evidence({ head: head(7, 'another-key-of-at-least-32-characters'), signingKey: KEY }))).toMatch(/signature does not verify/);
    // A head rewound to an older record, with the signature of the newer one left in place.
    const rewound = { ...head(5), signature: head(7, KEY).signature };
    expect(headProblem(evidence({ head: rewound, newest: record(5), signingKey: KEY }))).toMatch(/signature does not verify/);
  });

  it('says the head was moved back when it names a record older than one this process wrote', () => {
    expect(headProblem(evidence({ head: head(5), newest: record(5), newestWrittenSeq: 7n }))).toBe('the head was moved back: it names seq 5, but this service wrote seq 7');
  });
});
