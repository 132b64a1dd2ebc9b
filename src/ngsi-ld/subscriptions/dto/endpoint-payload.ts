import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { isJsonObject } from 'src/jsonld/value-codec';
import { isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/*
 * Where a subscription's notifications go (NGSI-LD Endpoint, clause 5.2.15): an HTTP(S) URL or an
 * MQTT broker and topic, what the receiver accepts, and the headers and notifier settings.
 */

export const NOTIFICATION_MEDIA_TYPES = ['application/json', 'application/ld+json', 'application/geo+json'] as const;
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface EndpointDefinition {
  readonly uri: string;
  readonly accept?: (typeof NOTIFICATION_MEDIA_TYPES)[number];
  /** Milliseconds to wait for the receiver. */
  readonly timeout?: number;
  /** HTTP headers (MQTT: metadata) sent with each notification. */
  readonly receiverInfo?: readonly KeyValue[];
  /** Settings of the notifier: MQTT-QoS, MQTT-Version. */
  readonly notifierInfo?: readonly KeyValue[];
}

const ENDPOINT_MEMBERS = new Set(['uri', 'accept', 'timeout', 'receiverInfo', 'notifierInfo']);
const ENDPOINT_SCHEMES = /^(https?|mqtts?):\/\//;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers the broker sets itself (or that would break HTTP): not for receiverInfo. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'link', 'ngsild-tenant', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);
const NOTIFIER_INFO: Readonly<Record<string, readonly string[]>> = { 'MQTT-QoS': ['0', '1', '2'], 'MQTT-Version': ['mqtt3.1.1', 'mqtt5.0'] };

/** A subscription's notification.endpoint, checked member by member. */
export function parseEndpoint(value: unknown): EndpointDefinition {
  if (!isJsonObject(value)) throw new BadRequestData('notification.endpoint must be an object with a uri');
  for (const key of Object.keys(value)) if (!ENDPOINT_MEMBERS.has(key)) throw new BadRequestData(`Unknown endpoint member "${key}"`);
  const uri = value.uri;
  if (typeof uri !== 'string' || !isUri(uri) || !ENDPOINT_SCHEMES.test(uri)) {
    throw new BadRequestData('notification.endpoint.uri must be an http(s):// or mqtt(s):// URI');
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new BadRequestData(`notification.endpoint.uri is not a valid URL: "${uri}"`);
  }
  const isMqtt = url.protocol.startsWith('mqtt');
  if (isMqtt) {
    let topic: string;
    try {
      topic = decodeURIComponent(url.pathname).replace(/^\//, '');
      decodeURIComponent(url.username);
      decodeURIComponent(url.password);
    } catch {
      throw new BadRequestData('The MQTT endpoint URI holds a malformed %-escape');
    }
    if (topic === '') throw new BadRequestData('An MQTT endpoint names its topic: mqtt://host[:port]/topic');
    if (/[+#]/.test(topic)) throw new BadRequestData('An MQTT notification topic cannot hold wildcards (+, #)');
  }
  const accept = value.accept;
  if (accept !== undefined && typeof accept !== 'string') throw new BadRequestData('endpoint.accept must be a media type');
  if (accept !== undefined && !(NOTIFICATION_MEDIA_TYPES as readonly string[]).includes(accept)) {
    throw new BadRequestData(`endpoint.accept must be one of ${NOTIFICATION_MEDIA_TYPES.join(', ')}`);
  }
  const timeout = value.timeout;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 600_000)) {
    throw new BadRequestData('endpoint.timeout is milliseconds, 1 to 600000');
  }
  const receiverInfo = keyValues(value.receiverInfo, 'receiverInfo');
  for (const { key } of receiverInfo ?? []) {
    if (!HEADER_NAME.test(key) || RESERVED_HEADERS.has(key.toLowerCase())) throw new BadRequestData(`receiverInfo key "${key}" cannot be sent as a header`);
  }
  const notifierInfo = keyValues(value.notifierInfo, 'notifierInfo');
  for (const { key, value: given } of notifierInfo ?? []) {
    const allowed = NOTIFIER_INFO[key];
    if (!allowed) throw new BadRequestData(`Unknown notifierInfo key "${key}"; known: ${Object.keys(NOTIFIER_INFO).join(', ')}`);
    if (!isMqtt) throw new BadRequestData(`notifierInfo ${key} is for MQTT endpoints`);
    if (!allowed.includes(given)) throw new BadRequestData(`notifierInfo ${key} must be one of ${allowed.join(', ')}`);
  }
  const endpoint: { -readonly [K in keyof EndpointDefinition]: EndpointDefinition[K] } = { uri };
  if (accept !== undefined) endpoint.accept = accept as EndpointDefinition['accept'];
  if (timeout !== undefined) endpoint.timeout = timeout as number;
  if (receiverInfo) endpoint.receiverInfo = receiverInfo;
  if (notifierInfo) endpoint.notifierInfo = notifierInfo;
  return endpoint;
}

function keyValues(value: unknown, what: string): KeyValue[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new BadRequestData(`${what} must be an array of {key, value}`);
  return value.map((pair) => {
    if (!isJsonObject(pair) || typeof pair.key !== 'string' || typeof pair.value !== 'string' || Object.keys(pair).length !== 2) {
      throw new BadRequestData(`${what} must be an array of {key, value} with string members`);
    }
    if (/[\r\n]/.test(pair.value)) throw new BadRequestData(`${what} values cannot hold line breaks`);
    return { key: pair.key, value: pair.value };
  });
}

