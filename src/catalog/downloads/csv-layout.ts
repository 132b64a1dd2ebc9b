import { DatasetView, showsAttribute } from 'src/governance/privacy/views/minimised-view';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { Json } from 'src/jsonld/value-codec';
import { DataModel } from 'src/models/data-model';
import { compactSimplifiedValue } from 'src/ngsi-ld/representation/entity-compactor';
import { AttributeInstance, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { LOCATION } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';
import { toWkt } from 'src/catalog/downloads/geometry-wkt';

/*
 * The CSV of a dataset's current state: one row per entity, the columns id, type, one per
 * attribute (named as the data model or the dataset's @context names it, the unit in brackets:
 * "temperature [CEL]"), then the location as longitude and latitude (points) and as WKT (any
 * geometry), and the latest observedAt of the entity's attributes.
 */

/** One attribute column: the attribute's expanded IRI and the header it goes under. */
export interface AttributeColumn {
  readonly iri: string;
  readonly header: string;
}

/** An attribute found in a dataset's entities, with the unit codes its instances carry. */
export interface AttributeSeen {
  readonly iri: string;
  readonly units: readonly string[];
}

export type Cell = string | number | null;

const HEAD = ['id', 'type'];
const TAIL = ['longitude', 'latitude', 'location', 'observedAt'];

/** `name [unit]`, or the name alone. */
export function headerOf(name: string, unit?: string): string {
  return unit ? `${name} [${unit}]` : name;
}

/** The columns of a dataset that declares a data model: every attribute of the model the view shows, in the model's order. */
export function columnsOfModel(model: DataModel, view: DatasetView): AttributeColumn[] {
  return model.attributes
    .filter((attribute) => attribute.iri !== LOCATION && showsAttribute(view, attribute.iri))
    .map((attribute) => ({ iri: attribute.iri, header: headerOf(attribute.name, attribute.unitCode) }));
}

/** The columns of a dataset without a model: the attributes its entities hold, named by the context; a unit when all instances agree on one. */
export function columnsOfSeen(seen: readonly AttributeSeen[], view: DatasetView, ctx: CompiledContext): AttributeColumn[] {
  return seen
    .filter((attribute) => attribute.iri !== LOCATION && showsAttribute(view, attribute.iri))
    .map((attribute) => ({ iri: attribute.iri, header: headerOf(ctx.compactIri(attribute.iri, { kind: 'node' }), attribute.units.length === 1 ? attribute.units[0] : undefined) }))
    .sort((a, b) => (a.header < b.header ? -1 : a.header > b.header ? 1 : 0));
}

export function currentHeader(columns: readonly AttributeColumn[]): string[] {
  return [...HEAD, ...columns.map((column) => column.header), ...TAIL];
}

/** An entity (its view applied) as one row under {@link currentHeader}. */
export function currentRow(ctx: CompiledContext, entity: EntityData, columns: readonly AttributeColumn[]): Cell[] {
  const cells = columns.map((column) => {
    const instance = chosenInstance(entity.attributes[column.iri]);
    return instance ? cellOf(compactSimplifiedValue(ctx, column.iri, instance)) : null;
  });
  const location = chosenInstance(entity.attributes[LOCATION]);
  const geometry = location?.value as Json | undefined;
  const point = pointOf(geometry);
  return [entity.id, entity.types.map((type) => ctx.compactIri(type)).join(','), ...cells, point?.[0] ?? null, point?.[1] ?? null, toWkt(geometry) ?? null, latestObservedAt(entity)];
}

/**
 * A value as one cell: text, numbers and booleans as they are, a relationship as the object's id
 * (what the simplified representation gives), anything structured as its JSON.
 */
export function cellOf(value: Json | undefined): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A multi-instance attribute shows its default instance (no datasetId), else its first. */
export function chosenInstance(instances: readonly AttributeInstance[] | undefined): AttributeInstance | undefined {
  return instances?.find((instance) => instance.datasetId === undefined) ?? instances?.[0];
}

function pointOf(geometry: Json | undefined): readonly number[] | undefined {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry) || geometry.type !== 'Point') return undefined;
  const coordinates = geometry.coordinates;
  return Array.isArray(coordinates) && coordinates.every((n) => typeof n === 'number') ? (coordinates as number[]) : undefined;
}

/** The latest observedAt of any attribute instance (ISO 8601 UTC strings compare as times). */
function latestObservedAt(entity: EntityData): string | null {
  let latest: string | null = null;
  for (const instances of Object.values(entity.attributes)) {
    for (const instance of instances) {
      if (typeof instance.observedAt === 'string' && (latest === null || instance.observedAt > latest)) latest = instance.observedAt;
    }
  }
  return latest;
}
