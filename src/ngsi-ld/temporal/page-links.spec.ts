import { pageLinks } from 'src/ngsi-ld/temporal/page-links';

const PATH = '/ngsi-ld/v1/temporal/entities';

describe('pageLinks', () => {
  it('points to the next page only from the first', () => {
    expect(pageLinks(`${PATH}?type=Sensor&limit=2`, { offset: 0, limit: 2, hasMore: true })).toEqual([`<${PATH}?type=Sensor&limit=2&offset=2>; rel="next"`]);
  });

  it('points both ways from a page in the middle, keeping every other parameter, repeated ones too', () => {
    const url = `${PATH}?type=Sensor&attrs=a&attrs=b&timerel=after&timeAt=2026-03-01T00%3A00%3A00%2B01%3A00&offset=4&limit=2`;
    const [next, prev] = pageLinks(url, { offset: 4, limit: 2, hasMore: true });
    const paramsOf = (link: string) => new URLSearchParams(/\?([^>]*)>/.exec(link)![1]);
    expect(next).toMatch(/; rel="next"$/);
    expect(prev).toMatch(/; rel="prev"$/);
    expect(paramsOf(next).get('offset')).toBe('6');
    expect(paramsOf(prev).get('offset')).toBe('2');
    expect(paramsOf(next).getAll('attrs')).toEqual(['a', 'b']);
    expect(paramsOf(next).get('timeAt')).toBe('2026-03-01T00:00:00+01:00');
    expect(paramsOf(prev).get('limit')).toBe('2');
  });

  it('points only back from the last page, never before offset 0', () => {
    expect(pageLinks(`${PATH}?offset=1&limit=5`, { offset: 1, limit: 5, hasMore: false })).toEqual([`<${PATH}?offset=0&limit=5>; rel="prev"`]);
  });

  it('adds the default limit to a URL that gave none, and gives no links for a single page or limit=0', () => {
    expect(pageLinks(PATH, { offset: 0, limit: 20, hasMore: true })).toEqual([`<${PATH}?offset=20&limit=20>; rel="next"`]);
    expect(pageLinks(PATH, { offset: 0, limit: 20, hasMore: false })).toEqual([]);
    expect(pageLinks(`${PATH}?limit=0&count=true`, { offset: 0, limit: 0, hasMore: true })).toEqual([]);
  });
});
