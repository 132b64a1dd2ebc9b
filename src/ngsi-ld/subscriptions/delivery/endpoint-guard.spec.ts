import { assertPublicHost, isPrivateAddress, PrivateEndpointRefused, publicAddressesOf } from 'src/ngsi-ld/subscriptions/delivery/endpoint-guard';
import { MqttNotifier } from 'src/ngsi-ld/subscriptions/delivery/mqtt-notifier';

/* Which endpoint hosts notifications may not go to (production), in every spelling a socket accepts. */

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe'])(
    'takes %s as private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['203.0.113.10', '8.8.8.8', '2001:db8::1', '::ffff:203.0.113.10'])('takes %s as public', (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe('publicAddressesOf', () => {
  it.each(['127.1', '0x7f000001', '2130706433', 'localhost', 'localhost.', 'LOCALHOST', 'twin.localhost', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '169.254.169.254', '[::1]'])(
    'refuses %s, as the socket would reach a private address',
    async (host) => {
      await expect(publicAddressesOf(host)).rejects.toThrow(PrivateEndpointRefused);
    },
  );

  it('gives the addresses of a public host, and nothing for a name that does not resolve now', async () => {
    expect(await publicAddressesOf('203.0.113.10')).toEqual(['203.0.113.10']);
    expect(await publicAddressesOf('no-such-host.invalid')).toEqual([]);
  });

  it('refuses literal private hosts without resolving them', () => {
    expect(() => assertPublicHost('[::ffff:7f00:1]')).toThrow(/private address/);
    expect(() => assertPublicHost('localhost.')).toThrow(/private address/);
    expect(() => assertPublicHost('203.0.113.10')).not.toThrow();
  });
});

describe('MqttNotifier with private endpoints refused', () => {
  const notifier = new MqttNotifier(false);
  afterAll(() => notifier.close());

  it.each(['mqtt://127.1:1883/t', 'mqtt://0x7f000001/t', 'mqtt://localhost.:1883/t', 'mqtts://[::ffff:127.0.0.1]/t'])('refuses to publish to %s', async (uri) => {
    await expect(notifier.publish(uri, '{}', { qos: 0, version: 5, timeoutMs: 1000 })).rejects.toThrow(/private address/);
  });
});
