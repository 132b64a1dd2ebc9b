import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from 'src/app.factory';
import { loadConfig } from 'src/config/app-config';
import { eventually } from 'test/support/eventually';
import { startAedes, startPublisher, startTestBroker, unusedPort } from 'test/support/mqtt-broker';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp } from 'test/support/test-app';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';

/*
 * At-least-once delivery around failures: a broker that is not there when the service starts, a
 * database that fails while messages arrive (nothing is acknowledged until stored), and messages
 * published while the service is down, which its persistent sessions collect and deliver when it
 * is back. Organisation "lerum" owns the devices.
 */

// Messages and an embedded database take their time; the polls inside have their own deadlines.
jest.setTimeout(30_000);

const WRITER = { sub: 'writer-l', organisation: 'lerum', roles: ['writer'] };
const ADMIN = { sub: 'admin-l', organisation: 'lerum', roles: ['admin'], amr: ['pwd', 'otp'] };

let idp: IdentityProvider;

beforeAll(async () => {
  idp = await startIdentityProvider();
}, 60_000);

afterAll(async () => {
  await idp?.close();
}, 60_000);

/** A dataset and a device of "lerum"; returns what a device needs to publish, and where to read it back. */
async function provision(http: Server, name: string): Promise<{ id: string; key: string; topic: string; entityId: string; auth: Record<string, string> }> {
  const admin = { authorization: `Bearer ${await idp.token(ADMIN)}` };
  const auth = { authorization: `Bearer ${await idp.token(WRITER)}` };
  const dataset = await request(http)
    .post('/api/v1/datasets')
    .set(admin)
    .send({ title: { sv: 'Nivåer' }, description: { sv: 'Vattennivå i Säveån' }, classification: { confidentiality: 1, integrity: 1, availability: 1 } })
    .expect(201);
  const entityId = `urn:ngsi-ld:WaterObserved:${name}`;
  const device = await request(http)
    .post('/api/v1/devices')
    .set(auth)
    .send({ deviceId: name, entity: { id: entityId, type: 'WaterObserved' }, dataset: dataset.body.id, mapping: [{ field: 'level', attribute: 'height', type: 'number', unitCode: 'MTR' }] })
    .expect(201);
  return { id: device.body.id, key: device.body.key, topic: device.body.topics[0], entityId, auth };
}

async function ingestStatus(http: Server): Promise<Record<string, any>> {
  return (await request(http).get('/api/v1/ingest/status').expect(200)).body;
}

describe('a broker that is not there at start-up', () => {
  it('does not stop the service, which connects once the broker is there', async () => {
    const port = await unusedPort();
    const t = await startTestApp({ ...idp.env, MQTT_URL: `mqtt://127.0.0.1:${port}`, MQTT_PROTOCOL_VERSION: '4', MQTT_CONNECTIONS: '1', MQTT_CLIENT_ID: `vgds-test-late-${port}` }, { caller: 'anonymous' });
    const broker = { close: async () => undefined } as { close(): Promise<void> };
    try {
      await request(t.http).get('/health').expect(200);
      expect(await ingestStatus(t.http)).toMatchObject({ enabled: true, connected: false, connections: { configured: 1, connected: 0 } });
      const device = await provision(t.http, 'savean-1');
      Object.assign(broker, await startAedes(port));
      await eventually(async () => ((await ingestStatus(t.http)).connected ? true : undefined));
      const publisher = await startPublisher(`mqtt://127.0.0.1:${port}`, 4);
      await publisher.publish(device.topic, { level: 1.25, deviceKey: device.key });
      await publisher.close();
      await eventually(async () => {
        const res = await request(t.http).get(`/ngsi-ld/v1/entities/${device.entityId}?options=keyValues`).set(device.auth);
        return res.body.height === 1.25 ? true : undefined;
      });
    } finally {
      await t.close();
      await broker.close();
    }
  }, 60_000);
});

describe('a database that fails', () => {
  it('leaves messages unacknowledged and retries them, so that they land once it is back', async () => {
    const broker = await startTestBroker(1);
    const t = await startTestApp({ ...idp.env, ...broker.env }, { caller: 'anonymous' });
    const publisher = await broker.publisher();
    const rename = async (from: string, to: string) => {
      const client = new Client({ connectionString: t.config.database.url });
      await client.connect();
      await client.query(`ALTER TABLE ${from} RENAME TO ${to}`);
      await client.end();
    };
    try {
      await eventually(async () => ((await ingestStatus(t.http)).connected ? true : undefined));
      const device = await provision(t.http, 'savean-3');
      await rename('device', 'device_away');
      await publisher.publish(device.topic, { level: 3.5, deviceKey: device.key });
      await eventually(async () => ((await ingestStatus(t.http)).failedCommits >= 2 ? true : undefined));
      expect((await ingestStatus(t.http)).messages.accepted).toBe(0);
      await rename('device_away', 'device');
      await eventually(async () => {
        const res = await request(t.http).get(`/ngsi-ld/v1/entities/${device.entityId}?options=keyValues`).set(device.auth);
        return res.body.height === 3.5 ? true : undefined;
      });
      expect((await ingestStatus(t.http)).messages).toMatchObject({ received: 1, accepted: 1, rejected: 0 });
    } finally {
      await publisher.close();
      await t.close();
      await broker.close();
    }
  }, 60_000);
});

describe('messages published while the service is down', () => {
  let database: TestDatabase;
  const apps: NestFastifyApplication[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await database?.drop();
  }, 60_000);

  it('are delivered when it is back, from its persistent sessions, and stored once acknowledged', async () => {
    const broker = await startTestBroker(2);
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'fatal', DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(database.poolSize), ...idp.env, ...broker.env });
    const start = async () => {
      const app = await createApp(config);
      apps.push(app);
      await app.getHttpAdapter().getInstance().ready();
      const http = app.getHttpServer() as Server;
      await eventually(async () => ((await ingestStatus(http)).connections.connected === config.mqtt.connections ? true : undefined));
      return { app, http };
    };
    const publisher = await broker.publisher();
    try {
      const first = await start();
      const device = await provision(first.http, 'savean-2');
      await first.app.close();
      const published = 20;
      for (let n = 1; n <= published; n++) await publisher.publish(device.topic, { level: n / 10, observedAt: new Date(Date.UTC(2026, 10, 24, 6, n)).toISOString(), deviceKey: device.key });
      const second = await start();
      const status = await eventually(async () => {
        const res = await request(second.http).get(`/api/v1/devices/${device.id}/status`).set(device.auth).expect(200);
        return res.body.accepted === published ? res.body : undefined;
      });
      expect(status.rejected).toBe(0);
      const entity = await request(second.http).get(`/ngsi-ld/v1/entities/${device.entityId}?options=keyValues`).set(device.auth).expect(200);
      expect(entity.body.height).toBe(2);
    } finally {
      await publisher.close();
      for (const app of apps.splice(0)) await app.close();
      await broker.close();
    }
  }, 60_000);
});

describe('messages received but not stored when the service stops', () => {
  let database: TestDatabase;
  const apps: NestFastifyApplication[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await database?.drop();
  }, 60_000);

  it('are not acknowledged: one connection holds several, and the broker delivers them again to the next start', async () => {
    const broker = await startTestBroker(1);
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'fatal', DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(database.poolSize), ...idp.env, ...broker.env });
    const start = async () => {
      const app = await createApp(config);
      apps.push(app);
      await app.getHttpAdapter().getInstance().ready();
      const http = app.getHttpServer() as Server;
      await eventually(async () => ((await ingestStatus(http)).connected ? true : undefined));
      return { app, http };
    };
    const renameDeviceTable = async (from: string, to: string) => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      await client.query(`ALTER TABLE ${from} RENAME TO ${to}`);
      await client.end();
    };
    const publisher = await broker.publisher();
    try {
      const first = await start();
      const device = await provision(first.http, 'savean-4');
      await renameDeviceTable('device', 'device_away');
      const published = 5;
      for (let n = 1; n <= published; n++) await publisher.publish(device.topic, { level: n, observedAt: new Date(Date.UTC(2026, 10, 24, 7, n)).toISOString(), deviceKey: device.key });
      // All of them reach the one connection while none can be stored: none waits for another's acknowledgement.
      await eventually(async () => ((await ingestStatus(first.http)).messages.received === published ? true : undefined));
      expect((await ingestStatus(first.http)).messages.accepted).toBe(0);
      await first.app.close();
      await renameDeviceTable('device_away', 'device');
      const second = await start();
      const status = await eventually(async () => {
        const res = await request(second.http).get(`/api/v1/devices/${device.id}/status`).set(device.auth).expect(200);
        return res.body.accepted === published ? res.body : undefined;
      });
      expect(status.rejected).toBe(0);
      const entity = await request(second.http).get(`/ngsi-ld/v1/entities/${device.entityId}?options=keyValues`).set(device.auth).expect(200);
      expect(entity.body.height).toBe(published);
    } finally {
      await publisher.close();
      for (const app of apps.splice(0)) await app.close();
      await broker.close();
    }
  }, 60_000);
});
