import { InvalidRequest, OperationNotSupported } from 'src/common/problem/ngsi-ld-errors';
import { patchSubscription, SubscriptionDefinition } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';
import { MASK } from 'src/ngsi-ld/subscriptions/dto/endpoint-secrets';
import { LIMITS, NOW, parse, refused } from 'src/ngsi-ld/subscriptions/testing/payload-fixtures';

describe('patchSubscription', () => {
  const stored: SubscriptionDefinition = parse({
    id: 'urn:ngsi-ld:Subscription:beaches',
    type: 'Subscription',
    subscriptionName: 'Beaches',
    entities: [{ type: 'Beach' }],
    watchedAttributes: ['temperature'],
    q: 'temperature>20',
    expiresAt: '2027-01-01T00:00:00Z',
    notification: {
      attributes: ['temperature'],
      format: 'keyValues',
      endpoint: { uri: 'https://receiver.vgregion.test/notify', accept: 'application/ld+json', receiverInfo: [{ key: 'X-Token', value: 'abc' }] },
    },
  });
  const patch = (fragment: unknown, now = NOW) => patchSubscription(stored, fragment, now, LIMITS);

  it('replaces the members given and keeps the others', () => {
    const s = patch({ q: 'temperature>25', entities: [{ type: 'Lake' }], throttling: 10 });
    expect(s).toEqual({ ...stored, q: 'temperature>25', entities: [{ type: 'Lake' }], throttling: 10 });
  });

  it('replaces arrays whole rather than merging them', () => {
    expect(patch({ watchedAttributes: ['name'] }).watchedAttributes).toEqual(['name']);
  });

  it('merges notification: a new format keeps the endpoint and the attributes', () => {
    const s = patch({ notification: { format: 'normalized' } });
    expect(s.notification).toEqual({ ...stored.notification, format: 'normalized' });
  });

  it('merges the endpoint: a new accept keeps its uri and receiverInfo', () => {
    const s = patch({ notification: { endpoint: { accept: 'application/json' } } });
    expect(s.notification.endpoint).toEqual({ ...stored.notification.endpoint, accept: 'application/json' });
    expect(s.notification.format).toBe('keyValues');
  });

  it('moves the endpoint to a new uri, with receiverInfo given again', () => {
    const receiverInfo = [{ key: 'X-Token', value: 'def' }];
    const s = patch({ notification: { endpoint: { uri: 'mqtt://broker.test/beaches', receiverInfo } } });
    expect(s.notification.endpoint).toMatchObject({ uri: 'mqtt://broker.test/beaches', receiverInfo });
    expect(patch({ notification: { endpoint: { uri: 'mqtt://broker.test/beaches', receiverInfo: null } } }).notification.endpoint).not.toHaveProperty('receiverInfo');
  });

  it('does not carry stored receiverInfo values (secrets, shown masked) to another host', () => {
    refused(() => patch({ notification: { endpoint: { uri: 'https://elsewhere.test/notify' } } }), /another host: give receiverInfo again/);
    refused(() => patch({ notification: { endpoint: { uri: 'https://elsewhere.test/notify', receiverInfo: [{ key: 'X-Token', value: MASK }] } } }), /"X-Token" is masked/);
    // Another path on the same host is the same receiver.
    expect(patch({ notification: { endpoint: { uri: 'https://receiver.vgregion.test/other' } } }).notification.endpoint.receiverInfo).toEqual([{ key: 'X-Token', value: 'abc' }]);
  });

  it('keeps the stored secrets where a retrieved (masked) endpoint is sent back', () => {
    const retrieved = { ...stored.notification.endpoint, receiverInfo: [{ key: 'x-token', value: MASK }, { key: 'Accept-Language', value: 'sv' }] };
    const s = patch({ notification: { endpoint: retrieved, format: 'normalized' } });
    expect(s.notification.endpoint.receiverInfo).toEqual([{ key: 'x-token', value: 'abc' }, { key: 'Accept-Language', value: 'sv' }]);
    refused(() => patch({ notification: { endpoint: { receiverInfo: [{ key: 'X-Other', value: MASK }] } } }), /"X-Other" is masked: give its value/);
  });

  it('keeps a stored broker password sent back masked, for the same broker and user only', () => {
    const mqtt = patch({ notification: { endpoint: { uri: 'mqtt://twin:s3cret@broker.test/beaches', receiverInfo: null } } });
    const again = (uri: string) => patchSubscription(mqtt, { notification: { endpoint: { uri } } }, NOW, LIMITS);
    expect(again(`mqtt://twin:${MASK}@broker.test/lakes`).notification.endpoint.uri).toBe('mqtt://twin:s3cret@broker.test/lakes');
    refused(() => again(`mqtt://twin:${MASK}@other.test/lakes`), /password .* is masked/);
    refused(() => again(`mqtt://other:${MASK}@broker.test/lakes`), /password .* is masked/);
  });

  it('removes an optional member given as null', () => {
    const s = patch({ q: null, expiresAt: null, subscriptionName: null });
    expect(s).not.toHaveProperty('q');
    expect(s).not.toHaveProperty('expiresAt');
    expect(s).not.toHaveProperty('subscriptionName');
    expect(s.entities).toEqual(stored.entities);
  });

  it('removes a notification member given as null', () => {
    const s = patch({ notification: { attributes: null, format: null } });
    expect(s.notification).toEqual({ endpoint: stored.notification.endpoint });
  });

  it('makes a subscription active again when isActive is removed', () => {
    const paused = patch({ isActive: false });
    expect(paused.isActive).toBe(false);
    expect(patchSubscription(paused, { isActive: null }, NOW, LIMITS).isActive).toBe(true);
  });

  it('accepts the same id and type, and ignores the broker’s own members', () => {
    const s = patch({ id: stored.id, type: 'Subscription', status: 'paused', createdAt: 'x', throttling: 1, notification: { timesSent: 9 } });
    expect(s).toEqual({ ...stored, throttling: 1 });
  });

  it('leaves the stored subscription as it was', () => {
    const before = JSON.stringify(stored);
    patch({ q: null, notification: { format: 'concise', endpoint: { accept: 'application/json' } } });
    expect(JSON.stringify(stored)).toBe(before);
  });

  it('checks the merged subscription with the time given', () => {
    refused(() => patch({}, new Date('2027-06-01T00:00:00Z')), /names no member/);
    refused(() => patch({ throttling: 1 }, new Date('2027-06-01T00:00:00Z')), /expiresAt lies in the past/);
    expect(patch({ throttling: 1 }, new Date('2026-12-31T23:59:59Z')).throttling).toBe(1);
  });

  it.each<[string, unknown, RegExp]>([
    ['an empty fragment', {}, /names no member/],
    ['only the broker’s own members', { status: 'active', modifiedAt: 'x' }, /names no member/],
    ['another id', { id: 'urn:ngsi-ld:Subscription:other' }, /id of a subscription cannot change/],
    ['another type', { type: 'Entity' }, /type must be "Subscription"/],
    ['an unknown member', { colour: 'blue' }, /Unknown subscription member "colour"/],
    ['a bad q', { q: 'a>' }, /Invalid q/],
    ['removing the notification', { notification: null }, /needs notification/],
    ['a notification that is no object', { notification: 'https://r.test' }, /needs notification/],
    ['an endpoint that is no object', { notification: { endpoint: 'https://r.test' } }, /endpoint must be an object/],
    ['an unknown notification member', { notification: { colour: 'red' } }, /Unknown notification member "colour"/],
    ['removing the endpoint uri', { notification: { endpoint: { uri: null } } }, /http\(s\):\/\/ or mqtt\(s\):\/\/ URI/],
    ['removing entities and watchedAttributes', { entities: null, watchedAttributes: null }, /entities or watchedAttributes/],
    ['timeInterval beside watchedAttributes', { timeInterval: 60 }, /timeInterval and watchedAttributes/],
    ['an expiresAt in the past', { expiresAt: '2026-01-01T00:00:00Z' }, /expiresAt lies in the past/],
  ])('refuses %s', (_what, fragment, detail) => {
    refused(() => patch(fragment), detail);
  });

  it.each<[string, unknown]>([
    ['a fragment that is no object', [{ q: 'a' }]],
    ['null', null],
  ])('refuses %s as an invalid request', (_what, fragment) => {
    refused(() => patch(fragment), /update must be a JSON object/, InvalidRequest);
  });

  it('refuses members that are not supported with 422', () => {
    refused(() => patch({ temporalQ: { timerel: 'after' } }), /temporal subscriptions/, OperationNotSupported);
  });

  it('makes a subscription periodic when watchedAttributes go as timeInterval comes', () => {
    const s = patch({ watchedAttributes: null, timeInterval: 3600 });
    expect(s.timeInterval).toBe(3600);
    expect(s).not.toHaveProperty('watchedAttributes');
  });

  it('removes an optional endpoint member given as null, as it does for notification members', () => {
    const s = patch({ notification: { endpoint: { accept: null, receiverInfo: null } } });
    expect(s.notification.endpoint).toEqual({ uri: stored.notification.endpoint.uri });
  });
});
