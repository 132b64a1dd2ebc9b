import { CompiledContext } from 'src/jsonld/compiled-context';
import { RequestContext } from 'src/jsonld/context-compiler';
import { EntityQuery, Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityFilter, expandGeoQuery, expandName, expandQ, expandTypes } from 'src/ngsi-ld/query/entity-filter';
import { CompactOptions, CoreMember, Projection } from 'src/ngsi-ld/representation/entity-compactor';
import { parseLanguagePreference } from 'src/ngsi-ld/representation/language';

const CORE_MEMBERS: readonly CoreMember[] = ['id', 'type', 'scope'];

/** A parsed query with its names expanded by the request's @context. */
export function entityFilterOf(ctx: CompiledContext, query: EntityQuery): EntityFilter {
  return {
    entities: query.entities?.map((selector) => ({
      ids: selector.ids,
      idPattern: selector.idPattern,
      types: selector.types && expandTypes(ctx, selector.types),
    })),
    attributes: attributeIris(ctx, query.attrs),
    q: query.q && expandQ(ctx, query.q),
    scopes: query.scopeQ,
    geo: query.geo && expandGeoQuery(ctx, query.geo),
  };
}

/** How to compact the entities of an answer. */
export function compactOptionsOf(context: RequestContext, representation: Representation): CompactOptions {
  return {
    format: representation.format,
    sysAttrs: representation.sysAttrs,
    projection: projectionOf(context.compiled, representation),
    lang: representation.lang === undefined ? undefined : parseLanguagePreference(representation.lang),
    datasetIds: representation.datasetIds && new Set(representation.datasetIds),
  };
}

/** The compacted name a GeoJSON answer takes geometries from. */
export function geometryNameOf(ctx: CompiledContext, representation: Representation): string {
  return ctx.compactIri(expandName(ctx, representation.geometryProperty ?? 'location', 'geometryProperty'), { kind: 'node' });
}

export function attributeIris(ctx: CompiledContext, names: readonly string[] | undefined): string[] | undefined {
  return names?.map((name) => expandName(ctx, name, 'attribute'));
}

function projectionOf(ctx: CompiledContext, representation: Representation): Projection | undefined {
  const { attrs, pick, omit } = representation;
  if (attrs) return { attributes: new Set(attributeIris(ctx, attrs)) };
  const isCore = (name: string): name is CoreMember => (CORE_MEMBERS as readonly string[]).includes(name);
  if (pick) {
    return {
      core: new Set(pick.filter(isCore)),
      attributes: new Set(attributeIris(ctx, pick.filter((name) => !isCore(name)))),
    };
  }
  if (omit) {
    return {
      core: new Set(CORE_MEMBERS.filter((member) => !omit.includes(member))),
      omitted: new Set(attributeIris(ctx, omit.filter((name) => !isCore(name)))),
    };
  }
  return undefined;
}
