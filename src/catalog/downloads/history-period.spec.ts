import { parseHistoryPeriod } from 'src/catalog/downloads/history-period';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

describe('parseHistoryPeriod', () => {
  it('takes RFC 3339 instants and gives them in UTC', () => {
    expect(parseHistoryPeriod('2026-11-01T01:00:00+01:00', '2026-12-01T00:00:00.000001Z')).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000001Z' });
  });

  it.each([
    [undefined, '2026-12-01T00:00:00Z', /from is required/],
    ['2026-11-01T00:00:00Z', undefined, /to is required/],
    ['2026-11-01', '2026-12-01T00:00:00Z', /from must be an RFC 3339 date-time/],
    ['2026-11-01T00:00:00', '2026-12-01T00:00:00Z', /from must be/],
    [['2026-11-01T00:00:00Z'], '2026-12-01T00:00:00Z', /from must be/],
    ['2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', /must be before/],
    ['2025-01-01T00:00:00Z', '2026-12-01T00:00:00Z', /at most 366 days/],
  ])('refuses from=%p to=%p', (from, to, detail) => {
    expect(() => parseHistoryPeriod(from, to)).toThrow(BadRequestData);
    expect(() => parseHistoryPeriod(from, to)).toThrow(detail);
  });
});
