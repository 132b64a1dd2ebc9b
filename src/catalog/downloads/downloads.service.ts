import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { toFeature } from 'src/ngsi-ld/representation/geojson-representation';
import { Period } from 'src/ngsi-ld/temporal/history.repository';
import { TemporalSeriesService } from 'src/ngsi-ld/temporal/temporal-series.service';
import { csvChunks, jsonArrayChunks, mapPages } from 'src/catalog/downloads/download-bodies';
import { DownloadDescription, DownloadDescriptions } from 'src/catalog/downloads/download-description.service';
import { AttributeColumn, columnsOfModel, columnsOfSeen, currentHeader, currentRow } from 'src/catalog/downloads/csv-layout';
import { HISTORY_HEADER, HistoryNames, historyRow } from 'src/catalog/downloads/history-csv';
import { DownloadsRepository } from 'src/catalog/downloads/downloads.repository';

export type CurrentFormat = 'current.csv' | 'current.geojson' | 'current.jsonld';

/** A download: what its headers say, and its body as text chunks, read from the database only when asked for. */
export interface Download extends DownloadDescription {
  readonly mediaType: string;
  chunks(): AsyncIterable<string>;
}

const MEDIA_TYPES: Readonly<Record<CurrentFormat | 'history.csv', string>> = {
  'current.csv': 'text/csv; charset=utf-8; header=present',
  'current.geojson': 'application/geo+json; charset=utf-8',
  'current.jsonld': 'application/ld+json; charset=utf-8',
  'history.csv': 'text/csv; charset=utf-8; header=present',
};

/**
 * Bulk downloads of a dataset (issue 16): its current state as CSV, GeoJSON or NGSI-LD, and its
 * history for a period as CSV. Entities and instances come from the same services as every other
 * read (views applied, disclosure recorded), page by page; nothing holds the whole dataset.
 */
@Injectable()
export class DownloadsService {
  constructor(
    private readonly descriptions: DownloadDescriptions,
    private readonly entities: EntitiesService,
    private readonly temporal: TemporalSeriesService,
    private readonly repository: DownloadsRepository,
  ) {}

  /** The current state; `userContext` is the @context a Link header names (else the dataset's, else the core context). */
  async current(access: AccessContext, datasetId: string, format: CurrentFormat, userContext?: string): Promise<Download> {
    const description = await this.descriptions.describe(access, datasetId, format, { userContext });
    const chunks = {
      'current.csv': () => this.currentCsv(access, description),
      'current.geojson': () => this.geoJson(access, description),
      'current.jsonld': () => this.jsonLd(access, description),
    }[format];
    return { ...description, mediaType: MEDIA_TYPES[format], chunks };
  }

  /** The history of `period`, long format. */
  async history(access: AccessContext, datasetId: string, period: Period): Promise<Download> {
    const description = await this.descriptions.describe(access, datasetId, 'history.csv', { period });
    return { ...description, mediaType: MEDIA_TYPES['history.csv'], chunks: () => this.historyCsv(access, description, period) };
  }

  private historyCsv(access: AccessContext, description: DownloadDescription, period: Period): AsyncIterable<string> {
    const { compiled } = description.context;
    const names = new HistoryNames(compiled, description.model);
    const pages = this.temporal.streamDatasetHistory(access, description.datasetId, period);
    return csvChunks(HISTORY_HEADER, mapPages(pages, (page) => withScopedContexts(() => page.map((row) => historyRow(compiled, names, row)))));
  }

  private async *currentCsv(access: AccessContext, description: DownloadDescription): AsyncGenerator<string> {
    const columns = await this.columnsOf(access, description);
    const { compiled } = description.context;
    const pages = this.entities.streamDataset(access, description.datasetId);
    yield* csvChunks(currentHeader(columns), mapPages(pages, (page) => withScopedContexts(() => page.map((entity) => currentRow(compiled, entity, columns)))));
  }

  /** The model's attributes when the dataset declares one; else those its entities hold (one pass in the database). */
  private async columnsOf(access: AccessContext, description: DownloadDescription): Promise<AttributeColumn[]> {
    const { model, read, context } = description;
    if (model) return columnsOfModel(model, read.view);
    const seen = await this.repository.attributesSeen(access.tenant, description.datasetId, read.allowance.datasets);
    return columnsOfSeen(seen, read.view, context.compiled);
  }

  /** Features in the simplified (keyValues) representation, which GIS tools read as columns; the @context once, on the collection. */
  private geoJson(access: AccessContext, description: DownloadDescription): AsyncIterable<string> {
    const { compiled } = description.context;
    const features = mapPages(this.entities.streamDataset(access, description.datasetId), (page) =>
      withScopedContexts(() => page.map((entity) => toFeature(compactEntity(compiled, entity, { format: 'keyValues', sysAttrs: false }), 'location'))),
    );
    const open = `{"type":"FeatureCollection","@context":${JSON.stringify(answerContext(description))},"features":[`;
    return jsonArrayChunks(open, ']}', features);
  }

  /** Normalized entities, each with its @context, as NGSI-LD answers application/ld+json. */
  private jsonLd(access: AccessContext, description: DownloadDescription): AsyncIterable<string> {
    const { compiled } = description.context;
    const value = answerContext(description);
    const entities = mapPages(this.entities.streamDataset(access, description.datasetId), (page) =>
      withScopedContexts(() => page.map((entity): JsonObject => ({ '@context': value, ...compactEntity(compiled, entity, { format: 'normalized', sysAttrs: false }) }))),
    );
    return jsonArrayChunks('[', ']', entities);
  }
}

/** The @context an answer names: the one it was compacted with (as given), else the core context. */
function answerContext(description: DownloadDescription): JsonObject[string] {
  const { userContext, coreContextUrl } = description.context;
  return (userContext ?? coreContextUrl) as JsonObject[string];
}
