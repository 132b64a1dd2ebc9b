import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { weakEtag } from 'src/common/http/conditional-get';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { OrganisationsService } from 'src/governance/organisations/organisations.service';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { DataModel } from 'src/models/data-model';
import { ModelRegistry } from 'src/models/model-registry';
import { DatasetRead } from 'src/ngsi-ld/entities/dataset-read';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { Period } from 'src/ngsi-ld/temporal/history.repository';
import { compactDate, slugOf } from 'src/catalog/downloads/download-headers';
import { DownloadsRepository } from 'src/catalog/downloads/downloads.repository';

export type DownloadFormat = 'current.csv' | 'current.geojson' | 'current.jsonld' | 'history.csv';

/** Everything about a download but its body: decided, and cheap to compute, before anything is streamed. */
export interface DownloadDescription {
  readonly datasetId: string;
  readonly read: DatasetRead;
  /** The dataset's @context (or the one the caller's Link header names) with the core context, compiled. */
  readonly context: RequestContext;
  readonly model?: DataModel;
  readonly filename: string;
  readonly etag: string;
  readonly lastModified: Date;
  readonly licence?: string;
  /** Who to credit: the publisher's registered name and id. */
  readonly attribution: string;
  /** Open data read anonymously: the same for everyone, so shared caches may keep it. */
  readonly isPublic: boolean;
  readonly view: 'full' | 'minimised';
}

/**
 * Describes a download of a dataset: access decided as for a read of that dataset alone (404 for
 * a dataset the caller may not see, 403 when it sees it but may not read it, purpose-required),
 * then the validators (ETag, Last-Modified), file name, licence and attribution.
 */
@Injectable()
export class DownloadDescriptions {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly organisations: OrganisationsService,
    private readonly entities: EntitiesService,
    private readonly repository: DownloadsRepository,
    private readonly compiler: ContextCompiler,
    private readonly models: ModelRegistry,
  ) {}

  async describe(access: AccessContext, datasetId: string, format: DownloadFormat, options: { userContext?: string; period?: Period } = {}): Promise<DownloadDescription> {
    const dataset = await this.datasets.findVisible(access, datasetId);
    const read = await this.entities.datasetRead(access, datasetId);
    const userContext = options.userContext ?? dataset.jsonldContext ?? undefined;
    const [freshness, context, attribution] = await Promise.all([
      this.repository.freshness(access.tenant, datasetId, read.allowance.datasets),
      this.compiler.compile(userContext),
      this.attributionOf(access, dataset),
    ]);
    const view = read.view === 'full' ? 'full' : 'minimised';
    const lastModified = latest(dataset.modifiedAt, freshness.lastModified);
    // What the bytes depend on: the data, the rules (views, grants), the view, the context, the format and period.
    const etag = weakEtag([format, access.tenant, datasetId, freshness, dataset.modifiedAt, access.governance.version, view, userContext ?? null, context.coreVersion, options.period ?? null]);
    return {
      datasetId,
      read,
      context,
      model: dataset.conformsTo ? this.models.resolve(dataset.conformsTo) : undefined,
      filename: fileName(dataset, format, options.period),
      etag,
      lastModified,
      licence: dataset.licence ?? undefined,
      attribution,
      isPublic: access.principal.kind === 'anonymous' && dataset.open && dataset.confidentiality === 0 && dataset.retiredAt === null,
      view,
    };
  }

  /** "Göteborgs Stad (goteborg)": the registered name, or the organisation id alone when it is not registered. */
  private async attributionOf(access: AccessContext, dataset: DatasetRecord): Promise<string> {
    try {
      const organisation = await this.organisations.get(access, dataset.organisation);
      const name = (organisation.name as { sv: string }).sv;
      return `${name} (${dataset.organisation})`;
    } catch (error) {
      if (error instanceof ResourceNotFound) return dataset.organisation;
      throw error;
    }
  }
}

function fileName(dataset: DatasetRecord, format: DownloadFormat, period: Period | undefined): string {
  const stem = slugOf(dataset.title.sv, dataset.id);
  if (format === 'history.csv' && period) return `${stem}-history-${compactDate(period.from)}-${compactDate(period.to)}.csv`;
  return `${stem}-${format}`;
}

/** HTTP dates have whole seconds: the later of the two, to the second. */
function latest(a: Date, b: Date | null): Date {
  const time = Math.max(a.getTime(), b?.getTime() ?? 0);
  return new Date(Math.floor(time / 1000) * 1000);
}
