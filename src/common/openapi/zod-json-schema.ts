import { z } from 'zod';
import { JsonSchema } from 'src/common/openapi/openapi-answers';

/**
 * The JSON Schema of a zod schema, as a request (`input`) or an answer (`output`) has it, so that
 * the schema that validates is the one documented. Refinements that JSON Schema cannot say
 * (cross-field rules) stay with zod; the descriptions give them.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
  return rest;
}
