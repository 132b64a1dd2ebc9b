import { z } from 'zod';

/*
 * The shape of a description in ontologies/models/<Name>.json, checked at start-up so that a
 * broken description stops the service with every problem listed, instead of refusing or
 * accepting writes in surprising ways later.
 */
const VALUE_TYPES = ['number', 'integer', 'string', 'boolean', 'dateTime', 'uri', 'object', 'array', 'geometry'] as const;
const SCALAR_TYPES = VALUE_TYPES.filter((type) => type !== 'array');
const IRI = /^https?:\/\/\S+$/;

const text = z.string().trim().min(1);
const localised = z.strictObject({ en: text, sv: text.optional() });

const attributeSchema = z
  .strictObject({
    name: z.string().min(1).regex(/^[^\s:@]+$/, 'a term without spaces, colons or @'),
    iri: z.string().regex(IRI, 'an absolute http(s) IRI'),
    kind: z.enum(['Property', 'Relationship', 'GeoProperty', 'LanguageProperty']),
    valueType: z.enum(VALUE_TYPES),
    alsoValueTypes: z.array(z.enum(SCALAR_TYPES)).min(1).optional(),
    itemType: z.enum(SCALAR_TYPES).optional(),
    unitCode: z.string().regex(/^[A-Z0-9]{2,3}$/, 'a UN/CEFACT common code').optional(),
    enum: z.array(z.string()).min(1).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    targetModels: z.array(text).optional(),
    description: localised,
  })
  .refine((a) => a.kind !== 'GeoProperty' || a.valueType === 'geometry', 'a GeoProperty has valueType geometry')
  .refine((a) => a.kind !== 'Relationship' || a.valueType === 'uri', 'a Relationship has valueType uri')
  .refine((a) => a.itemType === undefined || a.valueType === 'array', 'itemType belongs to arrays')
  .refine((a) => a.minimum === undefined || a.maximum === undefined || a.minimum <= a.maximum, 'minimum is above maximum');

export const modelDescriptionSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a model name like WaterQualityObserved'),
    typeIri: z.string().regex(IRI, 'an absolute http(s) IRI'),
    schemaUrl: z.string().regex(IRI, 'an absolute http(s) URL'),
    contextUrls: z.array(z.string().regex(IRI, 'an absolute http(s) URL')),
    description: localised,
    required: z.array(z.string()).optional(),
    attributes: z.array(attributeSchema).min(1),
  })
  .refine((m) => new Set(m.attributes.map((a) => a.name)).size === m.attributes.length, { message: 'attribute names repeat', path: ['attributes'] })
  .refine((m) => (m.required ?? []).every((name) => m.attributes.some((a) => a.name === name)), { message: 'a required attribute is not among the attributes', path: ['required'] });
