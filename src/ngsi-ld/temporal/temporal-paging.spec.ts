import { contentRange, pageOf } from 'src/ngsi-ld/temporal/temporal-paging';

const at = (minute: number) => ({ at: new Date(Date.UTC(2026, 6, 1, 0, minute)).toISOString() });
const series = (...minutes: number[]) => minutes.map(at);

describe('pageOf', () => {
  it('keeps everything when no series goes on', () => {
    const page = pageOf([series(0, 1), series(0)], 3, false);
    expect(page).toEqual({ series: [series(0, 1), series(0)] });
  });

  it('cuts every series at the earliest point one of them had to stop', () => {
    // Fetched one more than kept (3): the first series goes on after minute 2, the second after 5.
    const page = pageOf([series(0, 1, 2, 3), series(0, 4, 5, 6), series(1, 9)], 3, false);
    expect(page.series).toEqual([series(0, 1, 2), series(0), series(1)]);
    expect(page.range).toEqual({ start: at(0).at, end: at(2).at });
  });

  it('never splits one instant across pages', () => {
    const page = pageOf([series(0, 1, 2, 2)], 3, false);
    expect(page.series).toEqual([series(0, 1)]);
    expect(page.range?.end).toBe(at(1).at);
  });

  it('goes back in time for lastN (newest first in, oldest first out)', () => {
    const page = pageOf([series(9, 8, 7, 6), series(9, 5)], 3, true);
    expect(page.series).toEqual([series(7, 8, 9), series(9)]);
    expect(page.range).toEqual({ start: at(7).at, end: at(9).at });
  });
});

describe('contentRange', () => {
  it('names the range and lastN, or * without it', () => {
    expect(contentRange({ start: 'a', end: 'b' }, undefined)).toBe('date-time a-b/*');
    expect(contentRange({ start: 'a', end: 'b' }, 5)).toBe('date-time a-b/5');
  });
});
