import { FastifyRequest } from 'fastify';

/** Whether the client's copy is current: `If-None-Match` names `etag` or `*` (RFC 9110 13.1.2, weak comparison). */
export function isFresh(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  const strong = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === strong;
  });
}
