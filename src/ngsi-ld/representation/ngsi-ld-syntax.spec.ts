import { isDateTime, utcInstantOf } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

describe('utcInstantOf', () => {
  it.each([
    ['2026-03-01T00:00:00Z', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T01:30:00+01:30', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T00:00:00-05:00', '2026-03-01T05:00:00.000Z'],
    ['2024-02-29T12:00:00.5Z', '2024-02-29T12:00:00.500Z'],
    ['2026-03-01T00:00:00.123456Z', '2026-03-01T00:00:00.123456Z'],
    ['2026-03-01T00:00:00.123456789Z', '2026-03-01T00:00:00.123456Z'],
    ['2026-03-01T00:00:00.123000Z', '2026-03-01T00:00:00.123Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
    ['2026-01-01T00:30:00+15:59', '2025-12-31T08:31:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s as %s', (text, utc) => {
    expect(utcInstantOf(text)).toBe(utc);
    expect(isDateTime(text)).toBe(true);
  });

  it.each([
    ['30 February', '2026-02-30T00:00:00Z'],
    ['31 April', '2026-04-31T00:00:00Z'],
    ['29 February of a common year', '2026-02-29T00:00:00Z'],
    ['29 February of 1900', '1900-02-29T00:00:00Z'],
    ['month 0 and day 0', '0000-00-00T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-03-01T24:00:00Z'],
    ['minute 60', '2026-03-01T00:60:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['a zone of +24:00', '2026-03-01T00:00:00+24:00'],
    ['a zone of +99:99', '2026-03-01T00:00:00+99:99'],
    ['a zone minute of 60', '2026-03-01T00:00:00+01:60'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['an instant before year 1 in UTC', '0001-01-01T00:00:00+01:00'],
    ['an instant after year 9999 in UTC', '9999-12-31T23:00:00-05:00'],
    ['a date alone', '2026-03-01'],
    ['no zone', '2026-03-01T00:00:00'],
    ['no seconds', '2026-03-01T00:00Z'],
    ['ten fraction digits', '2026-03-01T00:00:00.1234567891Z'],
    ['a space for T', '2026-03-01 00:00:00Z'],
  ])('refuses %s (%s)', (_name, text) => {
    expect(utcInstantOf(text)).toBeUndefined();
    expect(isDateTime(text)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isDateTime(Date.parse('2026-03-01T00:00:00Z'))).toBe(false);
    expect(isDateTime(null)).toBe(false);
  });
});
