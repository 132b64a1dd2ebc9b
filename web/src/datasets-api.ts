import { apiFetch, apiGet, graphql, query } from './api';
import { shortName } from './dom';

/** A dataset as GET /api/v1/datasets shows it (the fields the explorer uses). */
export interface Dataset {
  id: string;
  organisation: string;
  title: Record<string, string>;
  description: Record<string, string>;
  keywords?: Record<string, string[]>;
  themes: string[];
  licence?: string;
  contactPoint?: { name?: string; email?: string; phone?: string };
  updateFrequency?: string;
  spatialCoverage?: unknown;
  hvdCategory?: string;
  entities: { type?: string; tenant?: string; idPattern?: string }[];
  conformsTo?: string;
  dataModel?: string;
  classification: { confidentiality: number; integrity: number; availability: number };
  open: boolean;
  accessRights: string;
  personalData?: { category?: string };
  status: string;
  created: string;
  modified: string;
}

export interface Organisation {
  id: string;
  name: Record<string, string>;
  homepage?: string;
  contactPoint?: { name?: string; email?: string };
}

const PAGE = 100;

/** Every dataset the caller may see, page by page. */
export async function allDatasets(): Promise<Dataset[]> {
  const datasets: Dataset[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { body, headers } = await apiFetch<Dataset[]>(`/api/v1/datasets?limit=${PAGE}&offset=${offset}`);
    datasets.push(...body);
    const total = Number(headers.get('x-total-count') ?? datasets.length);
    if (body.length < PAGE || datasets.length >= total) return datasets;
  }
}

export async function organisations(): Promise<Map<string, Organisation>> {
  const list = await apiGet<Organisation[]>(`/api/v1/organisations?limit=1000`);
  return new Map(list.map((o) => [o.id, o]));
}

/**
 * Entities per dataset, as the caller may read them. GraphQL, because only it filters entities by
 * dataset (an NGSI-LD query by type would also count other datasets' entities of that type).
 */
export async function entityCounts(): Promise<Map<string, number>> {
  const data = await graphql<{ datasets: { nodes: { id: string; entities: { totalCount: number } }[] } }>(
    'query Counts { datasets(first: 100) { nodes { id entities(first: 1) { totalCount } } } }',
  );
  return new Map(data.datasets.nodes.map((d) => [d.id, d.entities.totalCount]));
}

export interface NgsiAttribute {
  type?: string;
  value?: unknown;
  object?: string;
  unitCode?: string;
  observedAt?: string;
}

export interface DatasetEntity {
  id: string;
  geometry?: { type: string; coordinates: unknown };
  attributes: Record<string, NgsiAttribute>;
}

type Feature = { id: string; geometry: DatasetEntity['geometry'] | null; properties: Record<string, unknown> };

/**
 * The dataset's entities (the first `limit`), with their current attributes. Which entities: from
 * GraphQL, the one door that filters by dataset (an NGSI-LD query by type would also find other
 * datasets' entities of that type); what they hold: NGSI-LD GeoJSON, with the names the temporal
 * API and the change feed use.
 */
export async function datasetEntities(id: string, limit = 100): Promise<{ total: number; entities: DatasetEntity[] }> {
  const data = await graphql<{ dataset: { entities: { totalCount: number; nodes: { id: string }[] } } | null }>(
    'query Entities($id: ID!, $first: Int) { dataset(id: $id) { entities(first: $first) { totalCount nodes { id } } } }',
    { id, first: limit },
  );
  const ids = data.dataset?.entities.nodes.map((n) => n.id) ?? [];
  const entities: DatasetEntity[] = [];
  for (let i = 0; i < ids.length; i += 40) {
    const chunk = ids.slice(i, i + 40);
    const answer = await apiGet<{ features: Feature[] }>(`/ngsi-ld/v1/entities?${query({ id: chunk.join(','), limit: chunk.length })}`, 'application/geo+json');
    entities.push(...answer.features.map(fromFeature));
  }
  return { total: data.dataset?.entities.totalCount ?? 0, entities };
}

function fromFeature(feature: Feature): DatasetEntity {
  const { id: _id, type: _type, '@context': _context, ...attributes } = feature.properties;
  return { id: feature.id, geometry: feature.geometry ?? undefined, attributes: attributes as Record<string, NgsiAttribute> };
}

/** An entity as the change feed and NGSI-LD show it (normalized), in the explorer's shape. */
export function fromNormalized(entity: Record<string, unknown>): DatasetEntity {
  const { id, type: _type, '@context': _context, ...attributes } = entity;
  const location = attributes.location as NgsiAttribute | undefined;
  return { id: String(id), geometry: location?.value as DatasetEntity['geometry'], attributes: attributes as Record<string, NgsiAttribute> };
}

export function dataModelOf(dataset: Dataset): string | undefined {
  if (dataset.dataModel) return dataset.dataModel;
  const type = dataset.entities.find((rule) => rule.type)?.type;
  return type ? shortName(type) : undefined;
}
