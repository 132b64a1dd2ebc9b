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
    expect(parsePeriod('P1W')).toEqual({ fixed: 'P1W' });
    expect(parsePeriod('PT0.5S')).toEqual({ fixed: 'PT0.5S' });
    expect(parsePeriod('P1M')).toEqual({ months: 1 });
    expect(parsePeriod('P3M')).toEqual({ months: 3 });
    expect(parsePeriod('P1Y')).toEqual({ months: 12 });
    expect(parsePeriod('P1Y6M')).toEqual({ months: 18 });
    expect(parsePeriod(undefined)).toEqual({ whole: true });
    for (const zero of ['P0D', 'PT0S', 'P0Y', 'P0W', 'P0M', 'PT0H0M0.0S']) expect(parsePeriod(zero)).toEqual({ whole: true });
  });

  it.each([
    ['1 hour', /ISO 8601 duration/],
    ['P', /ISO 8601 duration/],
    ['PT', /ISO 8601 duration/],
    ['P1DT', /ISO 8601 duration/],
    ['P1M15D', /mixes months/],
    ['P1YT1H', /mixes months/],
    ['P10001Y', /at most 10000 years/],
    ['P99999999999999D', /at most 10000 years/],
    ['PT0.0001S', /at least a millisecond/],
  ])('refuses %s', (duration, message) => {
    expect(() => parsePeriod(duration)).toThrow(BadRequestData);
    expect(() => parsePeriod(duration)).toThrow(message);
  });
});
