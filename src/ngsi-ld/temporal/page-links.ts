import { FastifyReply } from 'fastify';

/** Where a page of entities sits in the whole answer. */
export interface EntityPage {
  readonly offset: number;
  readonly limit: number;
  /** Whether entities follow this page. */
  readonly hasMore: boolean;
}

/**
 * Pointers to the next and the previous page of entities (clause 5.5.9 of GS CIM 009 v1.9.1), as
 * RFC 8288 links relative to the request's own URL: every parameter kept, offset and limit set,
 * so that a client follows them without knowing how paging works here. No next on the last page,
 * no prev on the first.
 */
export function pageLinks(requestUrl: string, page: EntityPage): string[] {
  if (page.limit === 0) return [];
  const question = requestUrl.indexOf('?');
  const path = question < 0 ? requestUrl : requestUrl.slice(0, question);
  const query = question < 0 ? '' : requestUrl.slice(question + 1);
  const link = (offset: number, rel: 'next' | 'prev') => {
    const params = new URLSearchParams(query);
    params.set('offset', String(offset));
    params.set('limit', String(page.limit));
    return `<${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page.hasMore) links.push(link(page.offset + page.limit, 'next'));
  if (page.offset > 0) links.push(link(Math.max(0, page.offset - page.limit), 'prev'));
  return links;
}

/** Adds links to the Link header an answer may already carry (the @context's). */
export function addLinks(reply: FastifyReply, links: readonly string[]): void {
  if (links.length === 0) return;
  const existing = reply.getHeader('link');
  const values = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]), ...links];
  void reply.header('link', values.join(', '));
}
