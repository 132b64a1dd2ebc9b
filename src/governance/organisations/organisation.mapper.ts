import { OrganisationKind } from 'src/governance/organisations/organisation.schema';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';

export const PUBLISHER_TYPES = 'http://purl.org/adms/publishertype/';

/*
 * The kinds as the EU publisher-type vocabulary (ADMS, http://purl.org/adms/publishertype/, which
 * DCAT-AP-SE uses for dct:type of a publisher). It has no public-company term, so municipal and
 * regional companies are Company; associations are NonProfitOrganisation. "other" fits none of
 * its terms with certainty, so it gets none rather than a wrong one.
 */
const PUBLISHER_TYPE_OF: Readonly<Record<OrganisationKind, string | undefined>> = {
  municipality: 'LocalAuthority',
  region: 'RegionalAuthority',
  'municipal-company': 'Company',
  'regional-company': 'Company',
  association: 'NonProfitOrganisation',
  other: undefined,
};

export function publisherTypeOf(kind: OrganisationKind): string | undefined {
  const term = PUBLISHER_TYPE_OF[kind];
  return term === undefined ? undefined : PUBLISHER_TYPES + term;
}

/** DIGG's recommended publisher URI for Swedish organisations: SE and the organisation number. */
export function publisherUriOf(organisationNumber: string): string {
  return `http://dataportal.se/organisation/SE${organisationNumber}`;
}

/** The organisation resource as `/api/v1/organisations` shows it: camelCase, RFC 3339 UTC times, optional fields only when set. */
export function toOrganisationView(record: OrganisationRecord, baseUrl: string): Record<string, unknown> {
  const publisherType = publisherTypeOf(record.kind);
  return {
    id: record.id,
    href: `${baseUrl}/api/v1/organisations/${record.id}`,
    name: { sv: record.nameSv, ...(record.nameEn !== null ? { en: record.nameEn } : {}) },
    organisationNumber: record.organisationNumber,
    kind: record.kind,
    ...(publisherType !== undefined ? { publisherType } : {}),
    publisherUri: publisherUriOf(record.organisationNumber),
    ...(record.homepage !== null ? { homepage: record.homepage } : {}),
    ...(record.contactName !== null && record.contactEmail !== null
      ? { contactPoint: { name: record.contactName, email: record.contactEmail, ...(record.contactPhone !== null ? { phone: record.contactPhone } : {}) } }
      : {}),
    created: record.createdAt.toISOString(),
    modified: record.modifiedAt.toISOString(),
  };
}
