import { z } from 'zod';
import { ORGANISATION } from 'src/config/app-config';
import { isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/*
 * The device resource as data owners write it. Names (entity type, attributes) are expanded with
 * the device's jsonldContext, or the core context, when stored; numbers in a mapping are scaled
 * (value * scale + offset) and then checked against min and max.
 */
export const DEVICE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const TENANT = /^([A-Za-z0-9][A-Za-z0-9_.:-]{0,99})?$/;
const HTTP_URI = /^https?:\/\/[^\s<>"{}|\\^`]+$/;
/** A payload member, or a dotted path to a nested one (ChirpStack codecs often nest). */
const FIELD = /^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+){0,7}$/;
/** UN/CEFACT Recommendation 20 common codes: CEL, KEL, P1, MTR, A97... */
const UNIT_CODE = /^[A-Z0-9]{2,3}$/;
const NAME = z.string().min(1).max(2048).regex(/^\S+$/, 'a name or an IRI, without spaces');

export const attributeMappingSchema = z
  .strictObject({
    field: z.string().regex(FIELD, 'a payload member, or a dotted path like object.temperature (letters, digits, _ - $ @)'),
    attribute: NAME,
    type: z.enum(['number', 'string', 'boolean']),
    unitCode: z.string().regex(UNIT_CODE, 'a UN/CEFACT common code, like CEL').optional(),
    scale: z.number().optional(),
    offset: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((rule, ctx) => {
    const numeric = (['scale', 'offset', 'min', 'max'] as const).filter((name) => rule[name] !== undefined);
    if (rule.type !== 'number' && numeric.length > 0) ctx.addIssue({ code: 'custom', message: `${numeric.join(', ')} apply to numbers only`, path: [numeric[0]] });
    if (rule.scale === 0) ctx.addIssue({ code: 'custom', message: 'a scale of 0 makes every value the offset', path: ['scale'] });
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) ctx.addIssue({ code: 'custom', message: 'min is above max', path: ['min'] });
  });

const mapping = z
  .array(attributeMappingSchema)
  .min(1, 'map at least one payload field')
  .max(100)
  .refine((rules) => new Set(rules.map((rule) => rule.attribute)).size === rules.length, 'each attribute once');

const chirpstack = z.strictObject({
  applicationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'the ChirpStack application id (a UUID in ChirpStack v4)'),
  devEui: z
    .string()
    .regex(/^[0-9A-Fa-f]{16}$/, 'the DevEUI: 16 hexadecimal digits')
    .transform((eui) => eui.toLowerCase()),
});

const fields = {
  deviceId: z.string().regex(DEVICE_ID, 'a device name of 1 to 64 letters, digits, "_", "." or "-" (it appears in the MQTT topic)'),
  tenant: z.string().regex(TENANT, 'an NGSILD-Tenant name ("" is the default tenant)'),
  entity: z.strictObject({ id: z.string().refine(isUri, 'an entity id is a URI, like urn:ngsi-ld:WeatherObserved:beach-7'), type: NAME }),
  dataset: z.uuid('the id of a dataset of the organisation'),
  jsonldContext: z.string().regex(HTTP_URI, 'the URL of a JSON-LD @context'),
  mapping,
  chirpstack,
};

export const newDeviceSchema = z.strictObject({
  organisation: z.string().regex(ORGANISATION, 'an organisation id: lower-case letters, digits and "-"').optional(),
  deviceId: fields.deviceId,
  tenant: fields.tenant.default(''),
  entity: fields.entity,
  dataset: fields.dataset,
  jsonldContext: fields.jsonldContext.optional(),
  mapping: fields.mapping,
  chirpstack: fields.chirpstack.optional(),
});

/** A change: any field but the organisation; `null` clears jsonldContext or chirpstack. */
export const deviceChangeSchema = z.strictObject({
  deviceId: fields.deviceId.optional(),
  tenant: fields.tenant.optional(),
  entity: fields.entity.optional(),
  dataset: fields.dataset.optional(),
  jsonldContext: fields.jsonldContext.nullable().optional(),
  mapping: fields.mapping.optional(),
  chirpstack: fields.chirpstack.nullable().optional(),
});

export type NewDevice = z.output<typeof newDeviceSchema>;
export type DeviceChange = z.output<typeof deviceChangeSchema>;
