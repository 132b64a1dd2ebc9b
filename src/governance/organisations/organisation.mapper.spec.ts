import { publisherTypeOf, publisherUriOf, toOrganisationView } from 'src/governance/organisations/organisation.mapper';
import { ORGANISATION_KINDS } from 'src/governance/organisations/organisation.schema';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';

const record: OrganisationRecord = {
  id: 'goteborg',
  nameSv: 'Göteborgs Stad',
  nameEn: null,
  organisationNumber: '2120001355',
  kind: 'municipality',
  homepage: null,
  contactName: 'Dataenheten',
  contactEmail: 'data@example.se',
  contactPhone: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  modifiedAt: new Date('2026-01-02T00:00:00Z'),
};

describe('organisation mapper', () => {
  it('maps kinds to the ADMS publisher types, and "other" to none', () => {
    expect(Object.fromEntries(ORGANISATION_KINDS.map((kind) => [kind, publisherTypeOf(kind)?.replace('http://purl.org/adms/publishertype/', '')]))).toEqual({
      municipality: 'LocalAuthority',
      region: 'RegionalAuthority',
      'municipal-company': 'Company',
      'regional-company': 'Company',
      association: 'NonProfitOrganisation',
      other: undefined,
    });
  });

  it("gives DIGG's publisher URI", () => {
    expect(publisherUriOf('2120001355')).toBe('http://dataportal.se/organisation/SE2120001355');
  });

  it('shows optional fields only when set', () => {
    expect(toOrganisationView(record, 'https://example.se')).toEqual({
      id: 'goteborg',
      href: 'https://example.se/api/v1/organisations/goteborg',
      name: { sv: 'Göteborgs Stad' },
      organisationNumber: '2120001355',
      kind: 'municipality',
      publisherType: 'http://purl.org/adms/publishertype/LocalAuthority',
      publisherUri: 'http://dataportal.se/organisation/SE2120001355',
      contactPoint: { name: 'Dataenheten', email: 'data@example.se' },
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-02T00:00:00.000Z',
    });
  });
});
