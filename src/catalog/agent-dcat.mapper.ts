import { NS, PUBLISHER_TYPE_LABELS } from 'src/catalog/dcat-vocabulary';
import { QuadBuilder } from 'src/catalog/quad-builder';
import { organisationContactUri } from 'src/catalog/catalog-uris';
import { publisherTypeOf, publisherUriOf, PUBLISHER_TYPES } from 'src/governance/organisations/organisation.mapper';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';

const { foaf, dct, vcard } = NS;

/**
 * The organisation as a DCAT publisher: foaf:Agent (and foaf:Organization) at DIGG's recommended
 * URI, its names, its ADMS publisher type, and its organisation number as dct:identifier, where
 * DIGG's profile puts "organisationsnummer" (written NNNNNN-NNNN, as Swedish registers write it).
 * Returns the publisher's URI.
 */
export function addPublisher(out: QuadBuilder, organisation: OrganisationRecord): string {
  const uri = publisherUriOf(organisation.organisationNumber);
  out.type(uri, `${foaf}Agent`, `${foaf}Organization`);
  out.languages(uri, `${foaf}name`, { sv: organisation.nameSv, en: organisation.nameEn });
  const number = organisation.organisationNumber;
  out.text(uri, `${dct}identifier`, `${number.slice(0, 6)}-${number.slice(6)}`);
  const type = publisherTypeOf(organisation.kind);
  if (type !== undefined) {
    out.link(uri, `${dct}type`, type);
    out.concept(type, PUBLISHER_TYPE_LABELS[type.slice(PUBLISHER_TYPES.length)]);
  }
  if (organisation.homepage !== null) out.link(uri, `${foaf}homepage`, organisation.homepage).type(organisation.homepage, `${foaf}Document`);
  return uri;
}

/** The organisation's contact point (a vCard at its own URI, never the publisher's); undefined when it registered none. */
export function addOrganisationContact(out: QuadBuilder, base: string, organisation: OrganisationRecord): string | undefined {
  if (organisation.contactName === null || organisation.contactEmail === null) return undefined;
  const uri = organisationContactUri(base, organisation.id);
  addContact(out, uri, { name: organisation.contactName, email: organisation.contactEmail });
  if (organisation.contactPhone !== null) out.link(uri, `${vcard}hasTelephone`, `tel:${organisation.contactPhone.replace(/[^+0-9]/g, '')}`);
  return uri;
}

/** A vCard contact point: typed vcard:Kind as well, since the shapes look for that class among the graph's own types. */
export function addContact(out: QuadBuilder, uri: string, contact: { name: string; email: string; url?: string }): string {
  out.type(uri, `${vcard}Organization`, `${vcard}Kind`);
  out.text(uri, `${vcard}fn`, contact.name);
  out.resource(uri, `${vcard}hasEmail`, `mailto:${contact.email}`);
  if (contact.url !== undefined) out.resource(uri, `${vcard}hasURL`, contact.url);
  return uri;
}
