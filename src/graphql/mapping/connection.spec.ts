import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { connectionOf, cursorOf, offsetAfter } from 'src/graphql/mapping/connection';

describe('cursors', () => {
  it('go on after the item they name', () => {
    expect(offsetAfter(undefined)).toBe(0);
    expect(offsetAfter(cursorOf(0))).toBe(1);
    expect(offsetAfter(cursorOf(41))).toBe(42);
  });

  it('refuse what the service did not give', () => {
    expect(() => offsetAfter('bm9wZQ')).toThrow(BadRequestData);
    expect(() => offsetAfter(Buffer.from('offset:-3').toString('base64url'))).toThrow(/not a cursor/);
  });

  it('page a connection', async () => {
    const page = connectionOf(['a', 'b'], 10, true, async () => 30);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: cursorOf(10), endCursor: cursorOf(11) });
    expect(page.edges.map((edge) => edge.node)).toEqual(['a', 'b']);
    expect(await page.totalCount()).toBe(30);
  });
});
