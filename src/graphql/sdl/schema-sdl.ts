import { createHash } from 'node:crypto';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';

/** A schema as SDL, types in alphabetical order (so that the text, and its ETag, change only when the schema does), with its ETag. */
export interface SchemaDocument {
  readonly sdl: string;
  readonly etag: string;
}

const printed = new WeakMap<GraphQLSchema, SchemaDocument>();

/** The SDL of `schema`, printed once per schema object. */
export function schemaDocument(schema: GraphQLSchema): SchemaDocument {
  let document = printed.get(schema);
  if (!document) {
    const sdl = `${printSchema(lexicographicSortSchema(schema))}\n`;
    document = { sdl, etag: `"${createHash('sha256').update(sdl).digest('base64url').slice(0, 27)}"` };
    printed.set(schema, document);
  }
  return document;
}
