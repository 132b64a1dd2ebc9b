import { z } from 'zod';
import { BadRequestData, InvalidRequest } from 'src/common/problem/ngsi-ld-errors';

const pagingSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** `limit` (1 to 1000, default 100) and `offset` of the /api/v1 lists. */
export function parsePaging(query: Record<string, unknown>): { limit: number; offset: number } {
  const parsed = pagingSchema.safeParse({ limit: query.limit, offset: query.offset });
  if (!parsed.success) throw new BadRequestData(`limit is 1 to 1000 and offset 0 or more: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** Validates query parameters against a schema; every problem is listed in one 400 BadRequestData. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new BadRequestData(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Refuses query parameters a route does not know, rather than ignoring them silently. */
export function checkQueryNames(query: Record<string, unknown>, known: readonly string[]): void {
  checkNames(query, known, (detail) => new BadRequestData(detail));
}

/** The same for NGSI-LD routes, where a parameter the operation does not define is InvalidRequest (clause 5.5.2). */
export function checkNgsiLdQueryNames(query: Record<string, unknown>, known: readonly string[]): void {
  checkNames(query, known, (detail) => new InvalidRequest(detail));
}

function checkNames(query: Record<string, unknown>, known: readonly string[], unknown: (detail: string) => Error): void {
  for (const [name, value] of Object.entries(query)) {
    if (!known.includes(name)) throw unknown(`Unknown query parameter "${name}"; this route takes ${known.join(', ') || 'none'}`);
    if (typeof value !== 'string') throw new BadRequestData(`${name} may be given once`);
  }
}

export function booleanParam(value: unknown, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new BadRequestData(`${name} must be true or false`);
}
