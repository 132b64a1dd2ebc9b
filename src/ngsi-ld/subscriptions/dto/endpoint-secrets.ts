import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { EndpointDefinition, KeyValue } from 'src/ngsi-ld/subscriptions/dto/endpoint-payload';

/*
 * The secrets of an endpoint: the values of receiverInfo (headers such as Authorization, sent with
 * every notification) and the password in the URI (MQTT brokers: mqtt://user:password@host/topic).
 * A subscription is shown with them masked, to its owner and to the admins who may see it alike;
 * they stay stored, for delivery. A client that sends a retrieved subscription back with the mask
 * keeps the stored secret, as long as the notifications still go to the same place: a secret is
 * never carried to another host without being given again.
 */

/** What a masked secret reads as. */
export const MASK = '********';

/** The endpoint as shown: header names and user name kept, their values and the password masked. */
export function maskedEndpoint(endpoint: EndpointDefinition): EndpointDefinition {
  const masked: { -readonly [K in keyof EndpointDefinition]: EndpointDefinition[K] } = { ...endpoint, uri: maskedUri(endpoint.uri) };
  if (endpoint.receiverInfo) masked.receiverInfo = endpoint.receiverInfo.map(({ key }) => ({ key, value: MASK }));
  return masked;
}

/** Refuses the mask where a secret is expected (a new subscription copied from a retrieved one). */
export function assertNoMask(endpoint: EndpointDefinition): void {
  if (passwordOf(endpoint.uri) === MASK) throw new BadRequestData(`The password in notification.endpoint.uri is the mask ${MASK}: give the password itself`);
  const masked = endpoint.receiverInfo?.find(({ value }) => value === MASK);
  if (masked) throw new BadRequestData(`receiverInfo "${masked.key}" holds the mask ${MASK}: give its value`);
}

/**
 * The endpoint an update asks for, with masked secrets (sent back as retrieved) replaced by the
 * stored ones. When it goes to another origin (scheme, host, port, user), stored secrets do not
 * follow: receiverInfo carried over unchanged, or a masked value, is refused.
 */
export function withStoredSecrets(updated: EndpointDefinition, stored: EndpointDefinition, receiverInfoGiven: boolean): EndpointDefinition {
  const sameOrigin = originOf(updated.uri) === originOf(stored.uri);
  let uri = updated.uri;
  if (passwordOf(uri) === MASK) {
    if (!sameOrigin || passwordOf(stored.uri) === undefined) throw new BadRequestData('The password in notification.endpoint.uri is masked: give it again for a new broker or user');
    uri = withPassword(uri, passwordOf(stored.uri)!);
  }
  let receiverInfo = updated.receiverInfo;
  if (receiverInfo && !sameOrigin && !receiverInfoGiven) {
    throw new BadRequestData('notification.endpoint.uri moves notifications to another host: give receiverInfo again (or null), its values are not carried there');
  }
  if (receiverInfo?.some(({ value }) => value === MASK)) {
    receiverInfo = receiverInfo.map((pair) => (pair.value === MASK ? { key: pair.key, value: storedValue(pair, stored, sameOrigin) } : pair));
  }
  return { ...updated, uri, ...(receiverInfo ? { receiverInfo } : {}) };
}

function storedValue(pair: KeyValue, stored: EndpointDefinition, sameOrigin: boolean): string {
  const match = stored.receiverInfo?.find(({ key }) => key.toLowerCase() === pair.key.toLowerCase());
  if (!match || !sameOrigin) throw new BadRequestData(`receiverInfo "${pair.key}" is masked: give its value`);
  return match.value;
}

function maskedUri(uri: string): string {
  return passwordOf(uri) === undefined ? uri : withPassword(uri, MASK);
}

function passwordOf(uri: string): string | undefined {
  const { password } = new URL(uri);
  return password === '' ? undefined : decodeURIComponent(password);
}

function withPassword(uri: string, password: string): string {
  const url = new URL(uri);
  url.password = encodeURIComponent(password);
  return url.toString();
}

function originOf(uri: string): string {
  const url = new URL(uri);
  return `${url.protocol}//${url.username}@${url.host}`;
}
