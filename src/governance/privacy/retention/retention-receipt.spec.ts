import { auditEventsOf, DueDataset, noCounts, receiptFromAudit, receiptOf, RetentionCounts } from 'src/governance/privacy/retention/retention-receipt';

const due = (dataset: string, organisation: string): DueDataset => ({
  dataset,
  organisation,
  retentionPeriod: 'P30D',
  cutoff: new Date('2026-01-01T00:00:00.000Z'),
  includesCurrent: false,
});
const span = { startedAt: new Date('2026-01-31T00:00:00.000Z'), finishedAt: new Date('2026-01-31T00:00:01.000Z') };

describe('retention receipts', () => {
  const counts = new Map<string, RetentionCounts>([['a', { ...noCounts(), historyRows: 5, partitionsDropped: 1 }], ['b', noCounts()]]);
  const readLog = new Map([['boras', 3], ['alingsas', 2]]);
  const receipt = receiptOf('run-1', span, [due('a', 'goteborg'), due('b', 'boras')], counts, readLog);

  it('lists every dataset with its cutoff and counts, and the read-log rows of all organisations', () => {
    expect(receipt.datasets).toEqual([
      expect.objectContaining({ dataset: 'b', organisation: 'boras', historyRows: 0 }),
      { dataset: 'a', organisation: 'goteborg', retentionPeriod: 'P30D', cutoff: '2026-01-01T00:00:00.000Z', historyRows: 5, partitionsDropped: 1, changeRows: 0, notifications: 0, entities: 0 },
    ]);
    expect(receipt.readLogRows).toBe(5);
  });

  it('records one audit event per organisation concerned, with only its own datasets and read log', () => {
    const events = auditEventsOf(receipt, readLog);
    expect(events.map((e) => [e.organisation, e.target])).toEqual([['alingsas', 'run-1'], ['boras', 'run-1'], ['goteborg', 'run-1']]);
    expect(events[1].details).toEqual(expect.objectContaining({ datasets: [receipt.datasets[0]], readLogRows: 3 }));
    expect(events[0].details).toEqual(expect.objectContaining({ datasets: [], readLogRows: 2 }));
  });

  it('records a run that concerned nobody once, without an organisation', () => {
    const empty = receiptOf('run-2', span, [], new Map(), new Map());
    expect(auditEventsOf(empty, new Map())).toEqual([{ event: 'retention.run', target: 'run-2', details: { startedAt: empty.startedAt, finishedAt: empty.finishedAt, datasets: [], readLogRows: 0 } }]);
  });

  it('puts the receipt together again from the audit records a reader sees', () => {
    const records = auditEventsOf(receipt, readLog).map((e) => ({ target: e.target!, organisation: e.organisation ?? null, details: e.details! }));
    expect(receiptFromAudit(records)).toEqual(receipt);
    expect(receiptFromAudit(records.filter((r) => r.organisation === 'boras'))).toEqual({ ...receipt, datasets: [receipt.datasets[0]], readLogRows: 3 });
    expect(receiptFromAudit([])).toBeNull();
  });
});
