import { randomBytes } from 'node:crypto';
import { connectAsync, MqttClient } from 'mqtt';
import request from 'supertest';
import { eventually } from 'test/support/eventually';
import { unusedPort } from 'test/support/mqtt-broker';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Endpoints that fail, hang or are far away, and MQTT endpoints (the Mosquitto at 127.0.0.1:1883).
 * Back-off doubles from 1 s and stops at NOTIFICATION_MAX_BACKOFF_MS, here 2 s.
 */

const MQTT = 'mqtt://127.0.0.1:1883';
let t: TestApp;
let receiver: NotificationReceiver;

const json = { 'content-type': 'application/json' };
const prop = (value: unknown) => ({ type: 'Property', value });
const entityPath = (id: string) => `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`;
const create = (id: string, type: string, level: number) =>
  request(t.http).post('/ngsi-ld/v1/entities').set(json).send(JSON.stringify({ id, type, level: prop(level) })).expect(201);
const setLevel = (id: string, level: number) => request(t.http).patch(`${entityPath(id)}/attrs`).set(json).send(JSON.stringify({ level: prop(level) })).expect(204);

async function subscribe(type: string, endpoint: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await request(t.http)
    .post('/ngsi-ld/v1/subscriptions')
    .set(json)
    .send(JSON.stringify({ type: 'Subscription', entities: [{ type }], notification: { format: 'keyValues', endpoint }, ...extra }))
    .expect(201);
  return decodeURIComponent((res.headers.location as string).split('/').pop()!);
}
const retrieve = async (id: string) => (await request(t.http).get(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`).expect(200)).body;
/** The subscription once nothing is pending: acknowledged once the endpoint's answer is in, a moment after it arrived. */
const delivered = (id: string) => eventually(async () => {
  const body = await retrieve(id);
  return body.notification.pendingNotifications === 0 ? body : undefined;
});
const levels = (where: string) => receiver.entities(where).map((e) => e.level);
const attemptTimes = (where: string) => receiver.attempts.filter((a) => a.path === where).map((a) => a.at);

beforeAll(async () => {
  receiver = await NotificationReceiver.start();
  t = await startTestApp({ CHANGES_POLL_INTERVAL_MS: '50', NOTIFICATION_MAX_BACKOFF_MS: '2000' });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe('an endpoint that fails', () => {
  it('gets every change, once and in order, once it recovers; retries back off from 1 s up to the maximum', async () => {
    receiver.answer('/flaky', [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    const sub = await subscribe('Flaky', { uri: receiver.url('/flaky') });
    const E = 'urn:ngsi-ld:Flaky:1';
    await create(E, 'Flaky', 1);
    await receiver.until(() => attemptTimes('/flaky').length >= 1);
    for (let level = 2; level <= 5; level++) await setLevel(E, level);
    // Sequenced shortly after each write commits: all five wait behind the failed one.
    const failing = await eventually(async () => {
      const body = await retrieve(sub);
      return body.notification.pendingNotifications === 5 ? body : undefined;
    });
    expect(failing.notification).toEqual(expect.objectContaining({ status: 'failed', lastFailureReason: 'The endpoint answered 500', lastFailure: expect.any(String) }));
    expect(failing.notification.timesFailed).toBeGreaterThanOrEqual(1);
    expect(failing.notification.lastSuccess).toBeUndefined();

    await receiver.until(() => levels('/flaky').length >= 5, 12_000);
    expect(levels('/flaky')).toEqual([1, 2, 3, 4, 5]);
    const times = attemptTimes('/flaky');
    const gaps = times.slice(1, 5).map((at, i) => at - times[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(990);
    for (const gap of gaps.slice(1)) {
      expect(gap).toBeGreaterThanOrEqual(1990);
      expect(gap).toBeLessThan(3800); // capped at 2 s, not 4 s, 8 s
    }
    const recovered = await delivered(sub);
    expect(recovered.notification).toEqual(
      expect.objectContaining({ status: 'ok', timesFailed: 4, lastFailureReason: 'The endpoint answered 500', lastFailure: expect.any(String), lastSuccess: expect.any(String) }),
    );
    expect(recovered.notification.timesSent).toBe(attemptTimes('/flaky').length);
    expect(Date.parse(recovered.notification.lastSuccess)).toBeGreaterThan(Date.parse(recovered.notification.lastFailure));
  });

  it('counts an answer later than endpoint.timeout as a failure, and sends again', async () => {
    receiver.answer('/late', [{ status: 503, delayMs: 1500 }]);
    const sub = await subscribe('Late', { uri: receiver.url('/late'), timeout: 300 });
    await create('urn:ngsi-ld:Late:1', 'Late', 1);
    await receiver.until(() => levels('/late').length >= 1, 5000);
    expect(levels('/late')).toEqual([1]);
    const { notification } = await delivered(sub);
    expect(notification).toEqual(expect.objectContaining({ status: 'ok', timesFailed: 1, lastFailureReason: 'No answer within 300 ms' }));
    const [first, second] = attemptTimes('/late');
    expect(second - first).toBeGreaterThanOrEqual(1300 - 10);
    expect(second - first).toBeLessThan(2400); // did not wait 1.5 s for the late answer
  });

  it('holds up no other subscription when slow or dead', async () => {
    receiver.answer('/slow', [], { status: 204, delayMs: 1500 });
    const slow = await subscribe('Shared', { uri: receiver.url('/slow') });
    const dead = await subscribe('Shared', { uri: `http://127.0.0.1:${await unusedPort()}/dead` });
    const deadBroker = await subscribe('Shared', { uri: `mqtt://127.0.0.1:${await unusedPort()}/dead`, timeout: 500 });
    await subscribe('Shared', { uri: receiver.url('/fast') });
    const E = 'urn:ngsi-ld:Shared:1';
    const written = Date.now();
    await create(E, 'Shared', 1);
    await receiver.until(() => levels('/fast').length >= 1);
    expect(receiver.at('/fast')[0].at - written).toBeLessThan(1000);
    const updated = Date.now();
    await setLevel(E, 2);
    await receiver.until(() => levels('/fast').length >= 2);
    expect(receiver.at('/fast')[1].at - updated).toBeLessThan(1000);
    expect(receiver.at('/slow')).toEqual([]);
    await receiver.until(() => levels('/slow').length >= 2, 10_000);
    expect(levels('/slow')).toEqual([1, 2]);
    expect((await retrieve(slow)).notification.timesFailed).toBe(0);
    for (const [sub, reason] of [[dead, /^Could not deliver: .*ECONNREFUSED/], [deadBroker, /^Could not connect to the broker within 500 ms/]] as const) {
      const body = await retrieve(sub);
      expect(body.notification).toEqual(expect.objectContaining({ status: 'failed', lastFailureReason: expect.stringMatching(reason) }));
      expect(body.notification.timesFailed).toBeGreaterThanOrEqual(1);
      expect(body.notification.pendingNotifications).toBe(2);
      await request(t.http).delete(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(sub)}`).expect(204);
    }
  });
});

describe('an MQTT endpoint', () => {
  let client: MqttClient;
  const messages = new Map<string, { metadata: Record<string, string>; body: { type: string; subscriptionId: string; data: Record<string, unknown>[] } }[]>();
  const topic = (name: string) => `vgds-test-notify-${randomBytes(4).toString('hex')}/${name}`;
  const receivedOn = (name: string) => messages.get(name) ?? [];
  const levelsOn = (name: string) => receivedOn(name).flatMap((m) => m.body.data.map((e) => e.level));

  beforeAll(async () => {
    client = await connectAsync(MQTT, { protocolVersion: 5, clientId: `vgds-test-sub-${randomBytes(4).toString('hex')}`, reconnectPeriod: 0 });
    client.on('message', (name, payload) => messages.set(name, [...receivedOn(name), JSON.parse(payload.toString('utf8'))]));
  });
  afterAll(async () => {
    await client?.endAsync();
  });

  it('publishes {metadata, body} notifications, in order, at the QoS and MQTT version asked for', async () => {
    const qos1 = topic('qos1');
    const v311 = topic('v311');
    await client.subscribeAsync([qos1, v311], { qos: 1 });
    const receiverInfo = [{ key: 'X-Source', value: 'vg-datashare' }];
    const sub = await subscribe('Published', { uri: `${MQTT}/${qos1}`, receiverInfo, notifierInfo: [{ key: 'MQTT-QoS', value: '1' }] });
    await subscribe('Published', { uri: `${MQTT}/${v311}`, notifierInfo: [{ key: 'MQTT-Version', value: 'mqtt3.1.1' }, { key: 'MQTT-QoS', value: '0' }] });
    const E = 'urn:ngsi-ld:Published:1';
    await create(E, 'Published', 1);
    for (let level = 2; level <= 6; level++) await setLevel(E, level);
    await eventually(async () => (levelsOn(qos1).length >= 6 && levelsOn(v311).length >= 6 ? true : undefined), 10_000);
    expect(levelsOn(qos1)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(levelsOn(v311)).toEqual([1, 2, 3, 4, 5, 6]);
    const [first] = receivedOn(qos1);
    expect(first.metadata).toEqual({
      'content-type': 'application/json',
      link: expect.stringContaining('rel="http://www.w3.org/ns/json-ld#context"'),
      'x-source': 'vg-datashare',
    });
    expect(first.body).toEqual(expect.objectContaining({ type: 'Notification', subscriptionId: sub }));
    expect(first.body.data[0]).toEqual({ id: E, type: 'Published', level: 1 });
    const { notification } = await delivered(sub);
    expect(notification).toEqual(expect.objectContaining({ status: 'ok', timesFailed: 0, timesSent: receivedOn(qos1).length }));
  });
});
