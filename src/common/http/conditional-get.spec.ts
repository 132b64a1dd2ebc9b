import { acceptsGzip, isNotModified, weakEtag } from 'src/common/http/conditional-get';

const MODIFIED = new Date('2026-11-30T10:17:23.456Z');

describe('conditional GET', () => {
  const etag = weakEtag(['current.csv', 'dataset', 3]);

  it('makes weak tags that change with the facts', () => {
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(weakEtag(['current.csv', 'dataset', 3])).toBe(etag);
    expect(weakEtag(['current.csv', 'dataset', 4])).not.toBe(etag);
  });

  it('compares If-None-Match weakly, in lists and with *', () => {
    expect(isNotModified({ 'if-none-match': etag }, etag, MODIFIED)).toBe(true);
    expect(isNotModified({ 'if-none-match': etag.slice(2) }, etag, MODIFIED)).toBe(true);
    expect(isNotModified({ 'if-none-match': `W/"other", ${etag}` }, etag, MODIFIED)).toBe(true);
    expect(isNotModified({ 'if-none-match': '*' }, etag, MODIFIED)).toBe(true);
    expect(isNotModified({ 'if-none-match': 'W/"other"' }, etag, MODIFIED)).toBe(false);
  });

  it('uses If-Modified-Since only without If-None-Match, to the second', () => {
    expect(isNotModified({ 'if-modified-since': MODIFIED.toUTCString() }, etag, MODIFIED)).toBe(true);
    expect(isNotModified({ 'if-modified-since': new Date(MODIFIED.getTime() - 1000).toUTCString() }, etag, MODIFIED)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, etag, MODIFIED)).toBe(false);
    expect(isNotModified({ 'if-none-match': 'W/"other"', 'if-modified-since': MODIFIED.toUTCString() }, etag, MODIFIED)).toBe(false);
    expect(isNotModified({}, etag, MODIFIED)).toBe(false);
  });

  it('reads Accept-Encoding with q-values', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
