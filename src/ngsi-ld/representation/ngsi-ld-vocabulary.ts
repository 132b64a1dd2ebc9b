import { NGSI_LD } from 'src/jsonld/core-contexts';
import { ValueMember } from 'src/ngsi-ld/representation/entity.model';

/** Expanded IRIs of the NGSI-LD members an attribute instance can have, to their core names. */
export const INSTANCE_MEMBERS: ReadonlyMap<string, ValueMember | 'objectType' | 'observedAt' | 'unitCode' | 'datasetId'> =
  new Map([
    [`${NGSI_LD}hasValue`, 'value'],
    [`${NGSI_LD}hasObject`, 'object'],
    [`${NGSI_LD}hasLanguageMap`, 'languageMap'],
    [`${NGSI_LD}hasVocab`, 'vocab'],
    [`${NGSI_LD}hasJSON`, 'json'],
    [`${NGSI_LD}hasValueList`, 'valueList'],
    [`${NGSI_LD}hasObjectList`, 'objectList'],
    [`${NGSI_LD}hasObjectType`, 'objectType'],
    [`${NGSI_LD}observedAt`, 'observedAt'],
    [`${NGSI_LD}unitCode`, 'unitCode'],
    [`${NGSI_LD}datasetId`, 'datasetId'],
  ]);

/** Members the broker sets itself; values sent for them are ignored. */
export const SYSTEM_MEMBERS: ReadonlySet<string> = new Set(
  ['createdAt', 'modifiedAt', 'deletedAt', 'instanceId'].map((name) => NGSI_LD + name),
);

/** NGSI-LD members this broker does not implement yet: refused rather than silently dropped. */
export const UNSUPPORTED_MEMBERS: ReadonlyMap<string, string> = new Map([
  [`${NGSI_LD}expiresAt`, 'expiresAt (ephemeral attributes)'],
]);

/** Sub-properties that NGSI-LD leaves non-reified (plain values, not attribute objects). */
export const NON_REIFIED_MEMBERS: ReadonlySet<string> = new Set([
  `${NGSI_LD}entityIdSealed`,
  `${NGSI_LD}entityTypeSealed`,
]);

export const LOCATION = `${NGSI_LD}location`;
export const GEO_ATTRIBUTES: ReadonlySet<string> = new Set([
  LOCATION,
  `${NGSI_LD}observationSpace`,
  `${NGSI_LD}operationSpace`,
]);
export const SCOPE = `${NGSI_LD}scope`;
