import { DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { accessRights } from 'src/governance/policy';

/** The dataset resource as `/api/v1/datasets` shows it: camelCase, RFC 3339 UTC times, optional fields only when set. */
export function toDatasetView(record: DatasetRecord & { dataModel?: string }, baseUrl: string): Record<string, unknown> {
  const optional = (name: string, value: unknown) => (value === null || value === undefined ? {} : { [name]: value });
  return {
    id: record.id,
    href: `${baseUrl}/api/v1/datasets/${record.id}`,
    organisation: record.organisation,
    title: record.title,
    description: record.description,
    keywords: record.keywords,
    themes: record.themes,
    ...optional('licence', record.licence),
    ...optional('contactPoint', record.contactPoint),
    ...optional('updateFrequency', record.updateFrequency),
    ...optional('spatialCoverage', record.spatialCoverage),
    ...optional('hvdCategory', record.hvdCategory),
    entities: record.entities,
    ...optional('jsonldContext', record.jsonldContext),
    ...optional('conformsTo', record.conformsTo),
    ...optional('dataModel', record.dataModel),
    classification: { confidentiality: record.confidentiality, integrity: record.integrity, availability: record.availability },
    open: record.open,
    listedInCatalog: record.listedInCatalog,
    accessRights: accessRights({ ...record, retired: record.retiredAt !== null }),
    personalData: record.personalData,
    ...optional('retentionPeriod', record.retentionPeriod),
    retentionIncludesCurrentValues: record.retentionIncludesCurrentValues,
    isDefault: record.isDefault,
    status: record.retiredAt ? 'retired' : 'active',
    ...optional('retiredAt', record.retiredAt?.toISOString()),
    created: record.createdAt.toISOString(),
    modified: record.modifiedAt.toISOString(),
  };
}
