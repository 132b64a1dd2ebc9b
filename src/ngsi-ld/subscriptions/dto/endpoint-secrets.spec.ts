import { MASK, maskedEndpoint } from 'src/ngsi-ld/subscriptions/dto/endpoint-secrets';

/* How an endpoint is shown (maskedEndpoint); keeping stored secrets on update is tested with patchSubscription. */

describe('maskedEndpoint', () => {
  it('shows receiverInfo names and masks their values', () => {
    const endpoint = { uri: 'https://twin.test/notify', receiverInfo: [{ key: 'Authorization', value: 'Bearer abc' }, { key: 'X-Tenant', value: 'gbg' }] };
    expect(maskedEndpoint(endpoint)).toEqual({ uri: 'https://twin.test/notify', receiverInfo: [{ key: 'Authorization', value: MASK }, { key: 'X-Tenant', value: MASK }] });
  });

  it('masks the password of a broker URI and keeps the user, the host and the topic', () => {
    expect(maskedEndpoint({ uri: 'mqtt://twin:s%40cret@broker.test:1884/beaches/temp' }).uri).toBe(`mqtt://twin:${MASK}@broker.test:1884/beaches/temp`);
    expect(maskedEndpoint({ uri: 'https://user:pw@twin.test/notify' }).uri).toBe(`https://user:${MASK}@twin.test/notify`);
  });

  it('leaves an endpoint without secrets as it is', () => {
    const endpoint = { uri: 'mqtt://broker.test/t', accept: 'application/json' as const, notifierInfo: [{ key: 'MQTT-QoS', value: '1' }] };
    expect(maskedEndpoint(endpoint)).toEqual(endpoint);
  });
});
