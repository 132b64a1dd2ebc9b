import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { parsePeriod, parseTimeFilter } from 'src/ngsi-ld/temporal/dto/temporal-request-params';

describe('parseTimeFilter', () => {
  it('reads between with its end, normalised to UTC', () => {
    expect(parseTimeFilter({ timerel: 'between', timeAt: '2026-07-01T02:00:00+02:00', endTimeAt: '2026-07-02T00:00:00Z' })).toEqual({
      timerel: 'between',
      timeAt: '2026-07-01T00:00:00.000Z',
      endTimeAt: '2026-07-02T00:00:00.000Z',
      timeproperty: 'observedAt',
      lastN: undefined,
    });
  });

  it.each([
    [{ timerel: 'before' }, /needs timeAt/],
    [{ timeAt: '2026-07-01T00:00:00Z' }, /needs timerel/],
    [{ timerel: 'between', timeAt: '2026-07-01T00:00:00Z' }, /needs endTimeAt/],
    [{ timerel: 'between', timeAt: '2026-07-02T00:00:00Z', endTimeAt: '2026-07-01T00:00:00Z' }, /later than timeAt/],
    [{ timerel: 'after', timeAt: 'yesterday' }, /ISO 8601/],
    [{ timerel: 'during', timeAt: '2026-07-01T00:00:00Z' }, /before, after or between/],
    [{ lastN: '0' }, /lastN/],
    [{ timeproperty: 'deletedAt' }, /timeproperty/],
  ])('refuses %j', (params, message) => {
    expect(() => parseTimeFilter(params)).toThrow(BadRequestData);
    expect(() => parseTimeFilter(params)).toThrow(message);
  });
});

describe('parsePeriod', () => {
  it('reads fixed lengths, calendar months and years, and the whole range', () => {
    expect(parsePeriod('PT1H')).toEqual({ fixed: 'PT1H' });
    expect(parsePeriod('P7D')).toEqual({ fixed: 'P7D' });
    expect(parsePeriod('P1M')).toEqual({ calendar: 'month' });
    expect(parsePeriod('P1Y')).toEqual({ calendar: 'year' });
    expect(parsePeriod(undefined)).toEqual({ whole: true });
    expect(parsePeriod('P0D')).toEqual({ whole: true });
  });

  it('refuses months of other lengths and non-durations', () => {
    expect(() => parsePeriod('P2M')).toThrow(/exactly P1M or P1Y/);
    expect(() => parsePeriod('1 hour')).toThrow(/ISO 8601 duration/);
  });
});
