import { z } from 'zod';
import { arrayOf, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { jsonSchemaOf } from 'src/common/openapi/zod-json-schema';
import { newOrganisationSchema, ORGANISATION_KINDS, organisationChangeSchema } from 'src/governance/organisations/organisation.schema';

/** The organisation resource as /api/v1/organisations shows it (organisation.mapper.ts). */
const organisationViewSchema = z.strictObject({
  id: z.string(),
  href: z.url(),
  name: z.strictObject({ sv: z.string(), en: z.string().optional() }),
  organisationNumber: z.string().regex(/^\d{10}$/).meta({ description: 'Ten digits, without the hyphen' }),
  kind: z.enum(ORGANISATION_KINDS),
  publisherType: z.url().optional().meta({ description: 'The EU publisher type (http://purl.org/adms/publishertype/); absent for kind "other"' }),
  publisherUri: z.url().meta({ description: "DIGG's recommended publisher URI: http://dataportal.se/organisation/SE<organisation number>" }),
  homepage: z.string().optional(),
  contactPoint: z.strictObject({ name: z.string(), email: z.string(), phone: z.string().optional() }).optional(),
  created: z.iso.datetime(),
  modified: z.iso.datetime(),
});

export const ORGANISATION_EXAMPLE = {
  id: 'goteborg',
  name: { sv: 'Göteborgs Stad', en: 'City of Gothenburg' },
  organisationNumber: '212000-1355',
  kind: 'municipality',
  homepage: 'https://goteborg.se/',
  contactPoint: { name: 'Stadsledningskontoret', email: 'data@example.se', phone: '+46 31-365 00 00' },
};

/** The request schemas are those of organisation.schema.ts, which validate the requests. */
export const ORGANISATION_SCHEMAS: SchemaComponents = {
  NewOrganisation: { ...jsonSchemaOf(newOrganisationSchema, 'input'), example: ORGANISATION_EXAMPLE },
  OrganisationChange: { ...jsonSchemaOf(organisationChangeSchema, 'input'), example: { contactPoint: { name: 'Dataenheten', email: 'data@example.se' } } },
  Organisation: jsonSchemaOf(organisationViewSchema, 'output'),
  OrganisationList: arrayOf('Organisation'),
};
