import { JsonObject } from 'src/jsonld/value-codec';
import { RequestContext } from 'src/jsonld/context-compiler';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { attributeChanges, ChangeRecord } from 'src/changes/change-record';

/** One change as an event of the feed: what changed, and the entity (normalized, with sysAttrs) compacted with the reader's context. */
export function changeEvent(context: RequestContext, change: ChangeRecord): JsonObject {
  const ctx = context.compiled;
  const names = (iris: readonly string[]): string[] => iris.map((iri) => ctx.compactIri(iri, { kind: 'node' }));
  const { created, updated, deleted } = attributeChanges(change);
  return {
    position: change.position,
    operation: change.operation,
    dataset: change.datasetId,
    changedAt: change.changedAt,
    entityId: change.entity.id,
    attributes: { created: names(created), updated: names(updated), deleted: names(deleted) },
    entity: compactEntity(ctx, change.entity, { format: 'normalized', sysAttrs: true }),
  };
}
