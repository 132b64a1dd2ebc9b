import { CompiledContext, withScopedContexts } from 'src/jsonld/compiled-context';
import { JsonObject } from 'src/jsonld/value-codec';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { instanceIdOf } from 'src/ngsi-ld/temporal/temporal-representation';
import { HistoryRow } from 'src/governance/privacy/data-subjects/data-subjects.repository';
import { ExportedEntity, SubjectExport } from 'src/governance/privacy/data-subjects/data-subjects.service';

/**
 * The export as JSON-LD text, piece by piece as it is read, so that a subject with years of
 * history never sits in memory whole:
 *
 *   {"@context": ..., "subject", "exportedAt", "datasets": [...], "entities": [
 *     {"tenant", "dataset", "entity": <normalized NGSI-LD>, "history": [{"attribute", "instance"}, ...]}, ...]}
 *
 * Entities and history instances are compacted with `ctx` (the core context: attribute names
 * outside it stay expanded IRIs). The entity sits under its own member, so that no attribute
 * name can clash with the export's members.
 */
export async function* exportDocument(ctx: CompiledContext, contextUrl: string, exported: SubjectExport): AsyncGenerator<string> {
  const head = {
    '@context': contextUrl,
    subject: exported.subject,
    exportedAt: exported.exportedAt.toISOString(),
    datasets: exported.datasets.map((d) => ({ dataset: d.dataset, organisation: d.organisation, subjectAttribute: d.subjectAttribute, entities: d.entities })),
  };
  yield `${JSON.stringify(head).slice(0, -1)},"entities":[`;
  let first = true;
  for await (const found of exported.entities) {
    yield* entityDocument(ctx, found, first);
    first = false;
  }
  yield ']}\n';
}

async function* entityDocument(ctx: CompiledContext, found: ExportedEntity, first: boolean): AsyncGenerator<string> {
  // Compaction is synchronous until it meets a scoped context not processed yet (see withScopedContexts).
  const entity = await withScopedContexts(() => compactEntity(ctx, found.entity, { format: 'normalized', sysAttrs: true }));
  yield `${first ? '' : ','}{"tenant":${JSON.stringify(found.tenant)},"dataset":${JSON.stringify(found.dataset)},"entity":${JSON.stringify(entity)},"history":[`;
  let firstInstance = true;
  for await (const page of found.history) {
    const instances = await withScopedContexts(() => page.map((row) => JSON.stringify(historyInstance(ctx, row))));
    yield `${firstInstance ? '' : ','}${instances.join(',')}`;
    firstInstance = false;
  }
  yield ']}';
}

/** One stored instance as the normalized temporal representation shows it, with the attribute it belongs to. */
export function historyInstance(ctx: CompiledContext, row: HistoryRow): JsonObject {
  const instance = { ...row.instance, instanceId: instanceIdOf(row.instance_id), createdAt: row.created_at.toISOString(), modifiedAt: row.modified_at.toISOString() };
  const compacted = compactEntity(ctx, { id: '', types: [], scopes: null, attributes: { [row.attribute]: [instance] } }, { format: 'normalized', sysAttrs: true });
  const [attribute, value] = Object.entries(compacted).find(([name]) => name !== 'id' && name !== 'type')!;
  return { attribute, instance: value };
}
