import { randomUUID } from 'node:crypto';
import { BadRequestData, InvalidRequest, OperationNotSupported } from 'src/common/problem/ngsi-ld-errors';
import { isJsonObject, JsonObject } from 'src/jsonld/value-codec';
import { javascriptPattern } from 'src/ngsi-ld/query/posix-pattern';
import { parseGeoQuery } from 'src/ngsi-ld/query/geo-query';
import { parseQ } from 'src/ngsi-ld/query/q-parser';
import { parseScopeQuery } from 'src/ngsi-ld/query/scope-query';
import { parseTypeExpression } from 'src/ngsi-ld/query/type-expression';
import { isDateTime, isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { EndpointDefinition, parseEndpoint } from 'src/ngsi-ld/subscriptions/dto/endpoint-payload';
import { assertNoMask, withStoredSecrets } from 'src/ngsi-ld/subscriptions/dto/endpoint-secrets';

/*
 * The NGSI-LD Subscription data type (ETSI GS CIM 009 v1.9.1, clause 5.2.12) as this broker takes
 * it: checked member by member, names kept as the caller wrote them (expanded later with the
 * subscription's @context). Status members are the broker's: ignored when sent back.
 */

export const NOTIFICATION_TRIGGERS = ['entityCreated', 'entityUpdated', 'entityDeleted', 'attributeCreated', 'attributeUpdated', 'attributeDeleted'] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];
/** What a subscription without notificationTrigger notifies: attributes created and updated, and so entities created. */
export const DEFAULT_TRIGGERS: readonly NotificationTrigger[] = ['attributeCreated', 'attributeUpdated'];

export type NotificationFormat = 'normalized' | 'keyValues' | 'concise';

export interface NotificationDefinition {
  readonly attributes?: readonly string[];
  readonly format?: NotificationFormat;
  readonly sysAttrs?: boolean;
  readonly showChanges?: boolean;
  readonly endpoint: EndpointDefinition;
}

export interface EntitySelectorDefinition {
  readonly id?: string;
  readonly idPattern?: string;
  readonly type?: string;
}

export interface GeoQueryDefinition {
  readonly geometry: string;
  readonly coordinates: unknown;
  readonly georel: string;
  readonly geoproperty?: string;
}

/** A subscription as stored: what its owner asked for, without the broker's status. */
export interface SubscriptionDefinition {
  readonly id: string;
  readonly type: 'Subscription';
  readonly subscriptionName?: string;
  readonly description?: string;
  readonly entities?: readonly EntitySelectorDefinition[];
  readonly watchedAttributes?: readonly string[];
  readonly notificationTrigger?: readonly NotificationTrigger[];
  /** Seconds between periodic notifications of the current state. */
  readonly timeInterval?: number;
  readonly q?: string;
  readonly geoQ?: GeoQueryDefinition;
  readonly scopeQ?: string;
  /** Seconds that at least pass between two notifications. */
  readonly throttling?: number;
  readonly expiresAt?: string;
  readonly isActive: boolean;
  readonly lang?: string;
  /** The @context notifications are compacted with (else the one the subscription was made with). */
  readonly jsonldContext?: string;
  readonly notification: NotificationDefinition;
}

const MEMBERS = new Set([
  'id', 'type', 'subscriptionName', 'description', 'entities', 'watchedAttributes', 'notificationTrigger', 'timeInterval',
  'q', 'geoQ', 'scopeQ', 'throttling', 'expiresAt', 'isActive', 'lang', 'jsonldContext', 'notification',
]);
/** The broker's own members: a client may send a retrieved subscription back; they are not its to set. */
// pendingNotifications stood here before it moved into notification: still ignored when sent back.
const READ_ONLY = new Set(['@context', 'status', 'createdAt', 'modifiedAt', 'pendingNotifications']);
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  csf: 'context source filters',
  temporalQ: 'temporal subscriptions',
  datasetId: 'subscriptions to some datasetIds',
};
const NOTIFICATION_MEMBERS = new Set(['attributes', 'format', 'sysAttrs', 'showChanges', 'endpoint']);
const NOTIFICATION_READ_ONLY = new Set([
  'status', 'timesSent', 'timesFailed', 'lastNotification', 'lastSuccess', 'lastFailure', 'lastFailureReason', 'pendingNotifications',
]);
const MAX_SECONDS = 365 * 24 * 3600;

/** This broker's lower bounds (configured: NOTIFICATION_MIN_*_SECONDS), so that no subscription floods its endpoint. */
export interface SubscriptionLimits {
  readonly minThrottlingSeconds: number;
  readonly minTimeIntervalSeconds: number;
}

/** A new subscription from a request body; `now` decides whether expiresAt already passed. */
export function parseSubscription(body: unknown, now: Date, limits: SubscriptionLimits): SubscriptionDefinition {
  if (!isJsonObject(body)) throw new InvalidRequest('A subscription must be a JSON object');
  const members = ownMembers(body);
  if (members.type !== 'Subscription') throw new BadRequestData('A subscription needs "type": "Subscription"');
  if (members.id !== undefined && !isUri(members.id)) throw new BadRequestData(`A subscription id must be a URI, not ${JSON.stringify(members.id)}`);
  const definition = checkSubscription({ ...members, id: members.id ?? `urn:ngsi-ld:Subscription:${randomUUID()}` }, now, limits);
  assertNoMask(definition.notification.endpoint);
  return definition;
}

/**
 * A subscription with a PATCH fragment applied: members given replace the stored ones, except
 * `notification` (and its `endpoint`), whose members are merged, so that changing the format does
 * not mean sending the endpoint again. `null` removes an optional member. Masked secrets (as a
 * subscription is shown) keep the stored ones (endpoint-secrets.ts).
 */
export function patchSubscription(stored: SubscriptionDefinition, fragment: unknown, now: Date, limits: SubscriptionLimits): SubscriptionDefinition {
  if (!isJsonObject(fragment)) throw new InvalidRequest('A subscription update must be a JSON object');
  const members = ownMembers(fragment);
  if (Object.keys(members).length === 0) throw new BadRequestData('The update names no member of the subscription');
  if (members.id !== undefined && members.id !== stored.id) throw new BadRequestData('The id of a subscription cannot change');
  if (members.type !== undefined && members.type !== 'Subscription') throw new BadRequestData('type must be "Subscription"');
  const merged: JsonObject = { ...(stored as unknown as JsonObject) };
  for (const [key, value] of Object.entries(members)) {
    if (key === 'notification' && isJsonObject(value)) {
      const notification = { ...(stored.notification as unknown as JsonObject) };
      for (const [member, given] of Object.entries(withoutReadOnly(value, NOTIFICATION_READ_ONLY))) {
        notification[member] = member === 'endpoint' && isJsonObject(given) ? dropNulls({ ...(notification.endpoint as JsonObject), ...given }) : given;
      }
      merged.notification = dropNulls(notification);
    } else if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const definition = checkSubscription(merged, now, limits);
  // Secrets are shown masked: sent back so, they mean "as stored".
  const given = isJsonObject(members.notification) ? members.notification.endpoint : undefined;
  const receiverInfoGiven = isJsonObject(given) && 'receiverInfo' in given;
  const endpoint = withStoredSecrets(definition.notification.endpoint, stored.notification.endpoint, receiverInfoGiven);
  return { ...definition, notification: { ...definition.notification, endpoint } };
}

function ownMembers(body: JsonObject): JsonObject {
  const members: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (key in NOT_SUPPORTED) throw new OperationNotSupported(`Subscriptions with ${key} (${NOT_SUPPORTED[key]}) are not supported`);
    if (READ_ONLY.has(key)) continue;
    if (!MEMBERS.has(key)) throw new BadRequestData(`Unknown subscription member "${key}"`);
    members[key] = value;
  }
  return members;
}

function checkSubscription(s: JsonObject, now: Date, limits: SubscriptionLimits): SubscriptionDefinition {
  const entities = s.entities === undefined ? undefined : selectors(s.entities);
  const watchedAttributes = optionalNames(s.watchedAttributes, 'watchedAttributes');
  const timeInterval = optionalSeconds(s.timeInterval, 'timeInterval', limits.minTimeIntervalSeconds);
  const throttling = optionalSeconds(s.throttling, 'throttling', limits.minThrottlingSeconds);
  const notificationTrigger = triggers(s.notificationTrigger);
  if (timeInterval !== undefined) {
    if (!entities) throw new BadRequestData('A periodic subscription (timeInterval) needs entities');
    if (watchedAttributes) throw new BadRequestData('timeInterval and watchedAttributes cannot be used together');
    if (throttling !== undefined) throw new BadRequestData('timeInterval and throttling cannot be used together');
    if (notificationTrigger) throw new BadRequestData('timeInterval and notificationTrigger cannot be used together');
  } else if (!entities && !watchedAttributes) {
    throw new BadRequestData('A subscription needs entities or watchedAttributes (or both)');
  }
  const expiresAt = optionalString(s.expiresAt, 'expiresAt');
  if (expiresAt !== undefined) {
    if (!isDateTime(expiresAt)) throw new BadRequestData(`expiresAt must be a date-time with a time zone, not "${expiresAt}"`);
    if (Date.parse(expiresAt) <= now.getTime()) throw new BadRequestData('expiresAt lies in the past');
  }
  if (s.isActive !== undefined && typeof s.isActive !== 'boolean') throw new BadRequestData('isActive must be true or false');
  const q = optionalString(s.q, 'q');
  if (q !== undefined) parseQ(q);
  const scopeQ = optionalString(s.scopeQ, 'scopeQ');
  if (scopeQ !== undefined) parseScopeQuery(scopeQ);
  const geoQ = s.geoQ === undefined ? undefined : geoQuery(s.geoQ);
  const jsonldContext = optionalString(s.jsonldContext, 'jsonldContext');
  if (jsonldContext !== undefined && !isUri(jsonldContext)) throw new BadRequestData('jsonldContext must be the URI of an @context');
  const lang = optionalString(s.lang, 'lang');
  if (lang !== undefined && !/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)(,(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*))*$/.test(lang)) {
    throw new BadRequestData(`lang must be a language tag, a comma-separated list of them or "*", not "${lang}"`);
  }
  return dropUndefined({
    id: s.id as string,
    type: 'Subscription',
    subscriptionName: optionalString(s.subscriptionName, 'subscriptionName'),
    description: optionalString(s.description, 'description'),
    entities,
    watchedAttributes,
    notificationTrigger,
    timeInterval,
    q,
    geoQ,
    scopeQ,
    throttling,
    expiresAt,
    isActive: (s.isActive as boolean | undefined) ?? true,
    lang,
    jsonldContext,
    notification: notificationParams(s.notification),
  });
}

function selectors(value: unknown): EntitySelectorDefinition[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequestData('entities must be a non-empty array of entity selectors');
  return value.map((selector) => {
    if (!isJsonObject(selector)) throw new BadRequestData('Each member of entities must be an object with id, idPattern and/or type');
    for (const key of Object.keys(selector)) {
      if (!['id', 'idPattern', 'type'].includes(key)) throw new BadRequestData(`Unknown entity selector member "${key}"`);
    }
    const id = optionalString(selector.id, 'entities[].id');
    if (id !== undefined && !isUri(id)) throw new BadRequestData(`entities[].id must be a URI, not "${id}"`);
    const idPattern = optionalString(selector.idPattern, 'entities[].idPattern');
    if (idPattern !== undefined) compilePattern(idPattern, 'idPattern');
    const type = optionalString(selector.type, 'entities[].type');
    if (type !== undefined) parseTypeExpression(type);
    if (id === undefined && idPattern === undefined && type === undefined) throw new BadRequestData('An entity selector needs id, idPattern or type');
    return dropUndefined({ id, idPattern, type });
  });
}

/** A regular expression (as PostgreSQL reads it in entity queries) for the matcher, in JavaScript. */
export function compilePattern(pattern: string, what: string): RegExp {
  try {
    return new RegExp(javascriptPattern(pattern), 'su');
  } catch (error) {
    throw new BadRequestData(`${what} is not a valid regular expression: ${(error as Error).message}`);
  }
}

function triggers(value: unknown): NotificationTrigger[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new BadRequestData('notificationTrigger must be a non-empty array');
  for (const trigger of value) {
    if (!(NOTIFICATION_TRIGGERS as readonly unknown[]).includes(trigger)) {
      throw new BadRequestData(`Unknown notificationTrigger ${JSON.stringify(trigger)}; known: ${NOTIFICATION_TRIGGERS.join(', ')}`);
    }
  }
  return [...new Set(value as NotificationTrigger[])];
}

function geoQuery(value: unknown): GeoQueryDefinition {
  if (!isJsonObject(value)) throw new BadRequestData('geoQ must be an object with geometry, coordinates, georel and optionally geoproperty');
  for (const key of Object.keys(value)) {
    if (!['geometry', 'coordinates', 'georel', 'geoproperty'].includes(key)) throw new BadRequestData(`Unknown geoQ member "${key}"`);
  }
  parseGeoQuery(value);
  return dropUndefined({
    geometry: value.geometry as string,
    coordinates: typeof value.coordinates === 'string' ? (JSON.parse(value.coordinates) as unknown) : value.coordinates,
    georel: value.georel as string,
    geoproperty: value.geoproperty as string | undefined,
  });
}

function notificationParams(value: unknown): NotificationDefinition {
  if (!isJsonObject(value)) throw new BadRequestData('A subscription needs notification, an object with an endpoint');
  const n = withoutReadOnly(value, NOTIFICATION_READ_ONLY);
  for (const key of Object.keys(n)) if (!NOTIFICATION_MEMBERS.has(key)) throw new BadRequestData(`Unknown notification member "${key}"`);
  const format = optionalString(n.format, 'notification.format');
  if (format !== undefined && !['normalized', 'keyValues', 'concise'].includes(format)) {
    throw new BadRequestData(`notification.format must be normalized, keyValues or concise, not "${format}"`);
  }
  for (const flag of ['sysAttrs', 'showChanges'] as const) {
    if (n[flag] !== undefined && typeof n[flag] !== 'boolean') throw new BadRequestData(`notification.${flag} must be true or false`);
  }
  // keyValues has no place for a previous value.
  if (n.showChanges === true && format === 'keyValues') throw new BadRequestData('notification.showChanges needs the normalized or concise format, not keyValues');
  return dropUndefined({
    attributes: optionalNames(n.attributes, 'notification.attributes'),
    format: format as NotificationFormat | undefined,
    sysAttrs: n.sysAttrs as boolean | undefined,
    showChanges: n.showChanges as boolean | undefined,
    endpoint: parseEndpoint(n.endpoint),
  });
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new BadRequestData(`${what} must be a non-empty string`);
  return value;
}

function optionalNames(value: unknown, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((name) => typeof name === 'string' && name.length > 0)) {
    throw new BadRequestData(`${what} must be a non-empty array of attribute names`);
  }
  return [...new Set(value as string[])];
}

function optionalSeconds(value: unknown, what: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_SECONDS) {
    throw new BadRequestData(`${what} is a number of seconds above 0 (at most a year)`);
  }
  if (value < min) throw new BadRequestData(`${what} must be at least ${min} seconds on this broker, not ${value}`);
  return value;
}

function withoutReadOnly(value: JsonObject, readOnly: ReadonlySet<string>): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !readOnly.has(key)));
}

function dropNulls(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
