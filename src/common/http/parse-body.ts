import { z } from 'zod';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

/** Validates a request body against a schema; every problem is listed in one 400 BadRequestData. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new BadRequestData(`The request body is not valid: ${problems.join('; ')}`);
}
