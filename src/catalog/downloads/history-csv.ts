import { CompiledContext } from 'src/jsonld/compiled-context';
import { DataModel } from 'src/models/data-model';
import { compactSimplifiedValue } from 'src/ngsi-ld/representation/entity-compactor';
import { InstanceRow } from 'src/ngsi-ld/temporal/history.repository';
import { Cell, cellOf } from 'src/catalog/downloads/csv-layout';

/*
 * The CSV of a dataset's history: long format, one row per attribute instance. observedAt is the
 * instance's time (its observedAt, else when it was written; truncated as a minimised view
 * truncates it); unitCode the instance's, else the data model's; datasetId NGSI-LD's, naming one
 * instance of a multi-instance attribute (not our dataset), empty for the default instance.
 */

export const HISTORY_HEADER = ['entityId', 'attribute', 'observedAt', 'value', 'unitCode', 'datasetId'];

/** Attribute names and units of a history: the model's where the dataset declares one, else the context's terms. */
export class HistoryNames {
  private readonly byIri: ReadonlyMap<string, { name: string; unit?: string }>;

  constructor(
    private readonly ctx: CompiledContext,
    model: DataModel | undefined,
  ) {
    this.byIri = new Map((model?.attributes ?? []).map((attribute) => [attribute.iri, { name: attribute.name, unit: attribute.unitCode }]));
  }

  nameOf(iri: string): string {
    return this.byIri.get(iri)?.name ?? this.ctx.compactIri(iri, { kind: 'node' });
  }

  unitOf(iri: string): string | undefined {
    return this.byIri.get(iri)?.unit;
  }
}

/** One instance (its view applied) as a row under {@link HISTORY_HEADER}. */
export function historyRow(ctx: CompiledContext, names: HistoryNames, row: InstanceRow): Cell[] {
  const { instance } = row;
  return [
    row.entity_id,
    names.nameOf(row.attribute),
    row.at,
    cellOf(compactSimplifiedValue(ctx, row.attribute, instance)),
    instance.unitCode ?? names.unitOf(row.attribute) ?? null,
    instance.datasetId ?? null,
  ];
}
