import { CompactOptions } from 'src/ngsi-ld/representation/entity-compactor';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';

/**
 * attrs, pick, omit and datasetId applied to an entity before it becomes RDF, as compactEntity
 * applies them to JSON: the same attributes and instances are left. The id always stays: it is the
 * subject of every triple.
 */
export function projectEntity(entity: EntityData, options: CompactOptions): EntityData {
  const { attributes: only, omitted, core } = options.projection ?? {};
  const attributes: EntityData['attributes'] = {};
  for (const [iri, all] of Object.entries(entity.attributes)) {
    if ((only && !only.has(iri)) || omitted?.has(iri)) continue;
    const instances = options.datasetIds ? all.filter((i) => options.datasetIds!.has(i.datasetId ?? '@none')) : all;
    if (instances.length > 0) attributes[iri] = instances;
  }
  return {
    ...entity,
    types: !core || core.has('type') ? entity.types : [],
    scopes: !core || core.has('scope') ? entity.scopes : null,
    attributes,
  };
}
