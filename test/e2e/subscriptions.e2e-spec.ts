import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';
import { NotificationReceiver } from 'test/support/notification-receiver';

let t: TestApp;
let receiver: NotificationReceiver;

const json = { 'content-type': 'application/json' };
const post = (path: string, body: unknown) => request(t.http).post(`/ngsi-ld/v1${path}`).set(json).send(JSON.stringify(body));
const patch = (path: string, body: unknown) => request(t.http).patch(`/ngsi-ld/v1${path}`).set(json).send(JSON.stringify(body));
const sensor = (n: number, temperature: number) => ({ id: `urn:ngsi-ld:WeatherObserved:s${n}`, type: 'WeatherObserved', temperature: { type: 'Property', value: temperature } });

beforeAll(async () => {
  receiver = await NotificationReceiver.start();
  t = await startTestApp({ CHANGES_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe('a subscription with an HTTP endpoint', () => {
  it('notifies creations and updates in order, and shows its status', async () => {
    const created = await post('/subscriptions', {
      type: 'Subscription',
      entities: [{ type: 'WeatherObserved' }],
      notification: { endpoint: { uri: receiver.url('/basic') } },
    }).expect(201);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/ngsi-ld\/v1\/subscriptions\/urn%3Angsi-ld%3ASubscription%3A/);
    await post('/entities', sensor(1, 10)).expect(201);
    for (let v = 11; v <= 15; v++) await patch(`/entities/${encodeURIComponent('urn:ngsi-ld:WeatherObserved:s1')}/attrs`, { temperature: { type: 'Property', value: v } }).expect(204);
    await receiver.until(() => receiver.entities('/basic').length >= 6);
    const values = receiver.entities('/basic').map((e) => (e.temperature as { value: number }).value);
    expect(values).toEqual([10, 11, 12, 13, 14, 15]);
    const first = receiver.at('/basic')[0];
    expect(first.body.type).toBe('Notification');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers.link).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    const status = await request(t.http).get(location).expect(200);
    expect(status.body.status).toBe('active');
    expect(status.body.notification.timesSent).toBeGreaterThanOrEqual(1);
    expect(status.body.notification.status).toBe('ok');
  });
});
