import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Private endpoints refused, as in production (NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=false): a
 * subscription whose endpoint reaches a loopback, private or link-local address is refused when it
 * is created or changed, in whatever spelling the socket would accept (sending checks again).
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
/** A public address (TEST-NET-3): accepted, though nothing answers there. */
const PUBLIC = 'http://203.0.113.10/notify';
let t: TestApp;

const json = { 'content-type': 'application/json' };
const subscribe = (id: string, uri: string) =>
  request(t.http)
    .post('/ngsi-ld/v1/subscriptions')
    .set(json)
    .send(JSON.stringify({ id, type: 'Subscription', entities: [{ type: 'Beach' }], notification: { endpoint: { uri } } }));
const retrieve = (id: string) => request(t.http).get(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`);

beforeAll(async () => {
  t = await startTestApp({ NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS: 'false' });
});
afterAll(async () => {
  await t?.close();
});

const PRIVATE_ENDPOINTS = [
  'http://127.1/notify',
  'http://0x7f000001/notify',
  'http://[::ffff:127.0.0.1]/notify',
  'http://169.254.169.254/latest/meta-data',
  'http://localhost./notify',
  'https://10.0.0.5/notify',
  'mqtt://127.1:1883/beaches',
  'mqtt://0x7f000001/beaches',
  'mqtt://localhost.:1883/beaches',
  'mqtts://[::ffff:127.0.0.1]/beaches',
];

it.each(PRIVATE_ENDPOINTS)('refuses to create a subscription notifying %s, and stores nothing', async (uri) => {
  const id = `urn:ngsi-ld:Subscription:private-${PRIVATE_ENDPOINTS.indexOf(uri)}`;
  const res = await subscribe(id, uri).expect(400);
  expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
  expect(res.body.detail).toMatch(/^notification\.endpoint\.uri: .* private address; notifications go to public endpoints only$/);
  await retrieve(id).expect(404);
});

it('refuses to move a subscription’s endpoint to a private address, and keeps it as it was', async () => {
  const id = 'urn:ngsi-ld:Subscription:moved';
  await subscribe(id, PUBLIC).expect(201);
  for (const uri of ['http://127.1/notify', 'mqtt://localhost./beaches']) {
    const res = await request(t.http)
      .patch(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`)
      .set(json)
      .send(JSON.stringify({ notification: { endpoint: { uri } } }))
      .expect(400);
    expect(res.body.detail).toMatch(/private address/);
  }
  expect((await retrieve(id).expect(200)).body.notification.endpoint.uri).toBe(PUBLIC);
});
