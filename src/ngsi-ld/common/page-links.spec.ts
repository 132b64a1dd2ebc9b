import { FastifyReply, FastifyRequest } from 'fastify';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';

/** The reply's header store, as far as addPageLinks uses it. */
function replyWith(link?: string) {
  const headers: Record<string, string | undefined> = { link };
  const reply = { getHeader: (name: string) => headers[name], header: (name: string, value: string) => (headers[name] = value) };
  return { reply: reply as unknown as FastifyReply, headers };
}
const request = (url: string) => ({ url }) as FastifyRequest;

describe('addPageLinks', () => {
  it('names the next and the previous page, keeping the other parameters and Links', () => {
    const { reply, headers } = replyWith('<https://ctx.example/c.jsonld>; rel="http://www.w3.org/ns/json-ld#context"');
    addPageLinks(reply, request('/ngsi-ld/v1/entities?type=Lamp&offset=20&limit=10&q=a%3E1'), { offset: 20, limit: 10, hasMore: true });
    expect(headers.link).toBe(
      '<https://ctx.example/c.jsonld>; rel="http://www.w3.org/ns/json-ld#context", ' +
        '</ngsi-ld/v1/entities?type=Lamp&offset=10&limit=10&q=a%3E1>; rel="prev", ' +
        '</ngsi-ld/v1/entities?type=Lamp&offset=30&limit=10&q=a%3E1>; rel="next"',
    );
  });

  it('has no previous page at the start, no next one at the end, and none for a count only', () => {
    const first = replyWith();
    addPageLinks(first.reply, request('/ngsi-ld/v1/entities?type=Lamp'), { offset: 0, limit: 20, hasMore: true });
    expect(first.headers.link).toBe('</ngsi-ld/v1/entities?type=Lamp&offset=20&limit=20>; rel="next"');
    const last = replyWith();
    addPageLinks(last.reply, request('/ngsi-ld/v1/subscriptions?offset=5&limit=20'), { offset: 5, limit: 20, hasMore: false });
    expect(last.headers.link).toBe('</ngsi-ld/v1/subscriptions?offset=0&limit=20>; rel="prev"');
    const counted = replyWith();
    addPageLinks(counted.reply, request('/ngsi-ld/v1/entities?type=Lamp&limit=0&count=true'), { offset: 0, limit: 0, hasMore: true });
    expect(counted.headers.link).toBeUndefined();
  });

  it('keeps repeated and encoded parameters as they were', () => {
    const { reply, headers } = replyWith();
    const url = '/ngsi-ld/v1/temporal/entities?type=Sensor&attrs=a&attrs=b&timerel=after&timeAt=2026-03-01T00%3A00%3A00%2B01%3A00&offset=4&limit=2';
    addPageLinks(reply, request(url), { offset: 4, limit: 2, hasMore: true });
    const params = [...headers.link!.matchAll(/<[^?]*\?([^>]*)>/g)].map((m) => new URLSearchParams(m[1]));
    expect(params.map((p) => p.get('offset'))).toEqual(['2', '6']);
    expect(params[1].getAll('attrs')).toEqual(['a', 'b']);
    expect(params[1].get('timeAt')).toBe('2026-03-01T00:00:00+01:00');
  });
});
