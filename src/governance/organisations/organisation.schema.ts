import { z } from 'zod';
import { ORGANISATION } from 'src/config/app-config';

/*
 * A member organisation as platform administrators register it (issue 16). The id is the one
 * datasets, keys and tokens already carry, so registering names an organisation that exists.
 */
export const ORGANISATION_KINDS = ['municipality', 'region', 'municipal-company', 'regional-company', 'association', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

const HTTP_URI = /^https?:\/\/[^\s<>"{}|\\^`]+$/;

/** Whether ten digits end in the Luhn check digit of the first nine, as Swedish organisation numbers do. */
export function hasLuhnCheckDigit(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[9]);
}

/** NNNNNN-NNNN or NNNNNNNNNN, stored without the hyphen; the check digit must hold, so that a typo is caught at once. */
export const organisationNumberSchema = z
  .string()
  .trim()
  .regex(/^\d{6}-?\d{4}$/, 'expected a Swedish organisation number, NNNNNN-NNNN')
  .transform((value) => value.replace('-', ''))
  .refine(hasLuhnCheckDigit, 'the check digit (the last) does not match: check the organisation number')
  .meta({ description: 'The Swedish organisation number, NNNNNN-NNNN or NNNNNNNNNN; shown without the hyphen' });

const text = (max: number) => z.string().trim().min(1).max(max);

const fields = {
  name: z.strictObject({ sv: text(300), en: text(300).optional() }),
  organisationNumber: organisationNumberSchema,
  kind: z.enum(ORGANISATION_KINDS).meta({ description: 'Mapped to the EU publisher-type vocabulary (publisherType)' }),
  homepage: z.string().regex(HTTP_URI, 'expected the homepage URL, like https://goteborg.se/'),
  contactPoint: z.strictObject({
    name: text(200),
    email: z.email(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,30}$/, 'expected a telephone number, like +46 31-365 00 00').optional(),
  }),
};

export const newOrganisationSchema = z.strictObject({
  id: z.string().regex(ORGANISATION, 'expected an organisation id: lower-case letters, digits and "-"').meta({ description: 'The id datasets, keys and tokens already use, e.g. goteborg' }),
  name: fields.name,
  organisationNumber: fields.organisationNumber,
  kind: fields.kind,
  homepage: fields.homepage.optional(),
  contactPoint: fields.contactPoint.optional(),
});

/** A change: any field but the id; `null` clears an optional one. An organisation's own admins may send contactPoint alone. */
export const organisationChangeSchema = z.strictObject({
  name: fields.name.optional(),
  organisationNumber: fields.organisationNumber.optional(),
  kind: fields.kind.optional(),
  homepage: fields.homepage.nullable().optional(),
  contactPoint: fields.contactPoint.nullable().optional(),
});

export type NewOrganisation = z.output<typeof newOrganisationSchema>;
export type OrganisationChange = z.output<typeof organisationChangeSchema>;
export type ContactPoint = z.output<typeof fields.contactPoint>;
