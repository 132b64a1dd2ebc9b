import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, ValueNode } from 'graphql';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node: ValueNode, variables) => valueFromASTUntyped(node, variables),
});

function instant(value: unknown): string {
  const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new GraphQLError(`DateTime must be an ISO 8601 date-time such as 2026-07-01T12:00:00Z, not ${JSON.stringify(value)}`);
  return time.toISOString();
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? instant(value) : value),
  parseValue: instant,
  parseLiteral: (node) => instant(node.kind === Kind.STRING ? node.value : undefined),
});

function geometry(value: unknown): Record<string, unknown> {
  if (!isObject(value) || typeof value.type !== 'string') throw new GraphQLError('GeoJSON must be a geometry object with a type and coordinates');
  return value;
}

export const GeoJsonScalar = new GraphQLScalarType({
  name: 'GeoJSON',
  serialize: (value) => value,
  parseValue: geometry,
  parseLiteral: (node, variables) => geometry(valueFromASTUntyped(node, variables)),
});
