import { FastifyReply } from 'fastify';

/** Adds Accept to Vary, keeping what is there (CORS adds Origin): the answer depends on content negotiation. */
export function varyOnAccept(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const names = String(current ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.some((name) => name === '*' || name.toLowerCase() === 'accept')) return;
  void reply.header('vary', [...names, 'Accept'].join(', '));
}
