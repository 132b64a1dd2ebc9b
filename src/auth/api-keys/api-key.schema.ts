import { z } from 'zod';
import { ROLES } from 'src/auth/principal';
import { ORGANISATION } from 'src/config/app-config';
import { DPV_TERM } from 'src/governance/privacy/purposes/purpose';

/** An API key as an organisation's admins issue it. */
export const newApiKeySchema = z
  .strictObject({
  name: z.string().trim().min(1).max(200),
  organisation: z.string().regex(ORGANISATION, 'expected an organisation id: lower-case letters, digits and "-"').optional(),
  read: z.boolean().default(true),
  write: z.boolean().default(false),
  roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
  datasets: z
    .array(z.uuid())
    .min(1)
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, 'each dataset once')
    .optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  purpose: z
    .string()
    .regex(DPV_TERM, 'expected a DPV purpose such as dpv:ServiceProvision')
    .optional()
    .meta({ description: 'The purpose the key reads personal data for (a VGDS-Purpose header overrides it)' }),
})
  .refine((key) => key.read || key.write, { message: 'a key that may neither read nor write is of no use', path: ['read'] })
  .refine((key) => key.write || !key.roles.includes('writer'), { message: 'the writer role needs write: true', path: ['roles'] });
export type NewApiKeyRequest = z.input<typeof newApiKeySchema>;

