import { FastifyReply, FastifyRequest } from 'fastify';

/** Where a page of a list stands. */
export interface Page {
  readonly offset: number;
  readonly limit: number;
  /** Whether anything comes after this page. */
  readonly hasMore: boolean;
}

/**
 * Adds `Link: <...>; rel="next"` and `rel="prev"` to the answer of a list (clause 6.3.13): the
 * same request with `offset` moved by one page. Links already set (the @context's) stay.
 */
export function addPageLinks(reply: FastifyReply, request: FastifyRequest, page: Page): void {
  if (page.limit === 0) return; // a count-only answer has no pages
  const links: string[] = [];
  if (page.offset > 0) links.push(`<${pageUrl(request, Math.max(0, page.offset - page.limit), page.limit)}>; rel="prev"`);
  if (page.hasMore) links.push(`<${pageUrl(request, page.offset + page.limit, page.limit)}>; rel="next"`);
  if (links.length === 0) return;
  const existing = reply.getHeader('link');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  void reply.header('link', [...before, ...links].join(', '));
}

/** The request's own path and query, with another offset and the limit spelled out. */
function pageUrl(request: FastifyRequest, offset: number, limit: number): string {
  const url = new URL(request.url, 'http://host');
  url.searchParams.set('offset', String(offset));
  url.searchParams.set('limit', String(limit));
  return `${url.pathname}${url.search}`;
}
