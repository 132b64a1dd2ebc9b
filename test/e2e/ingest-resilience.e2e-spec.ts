import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from 'src/app.factory';
import { loadConfig } from 'src/config/app-config';
import { eventually } from 'test/support/eventually';
import { startAedes, startPublisher, startTestBroker, TestBroker, TestPublisher, unusedPort } from 'test/support/mqtt-broker';
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

interface Provisioned {
  readonly id: string;
  readonly key: string;
  readonly topic: string;
  readonly entityId: string;
  readonly auth: Record<string, string>;
}

/** A dataset and a device of "lerum"; returns what a device needs to publish, and where to read it back. */
async function provision(http: Server, name: string): Promise<Provisioned> {
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

/** Renames a table: the device table away makes every batch fail, as a database in trouble would. */
async function renameTable(databaseUrl: string, from: string, to: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`ALTER TABLE ${from} RENAME TO ${to}`);
  await client.end();
}

/** Waits until the device's status counts `count` messages accepted, none refused; the entity's height is then `height`. */
async function expectStored(http: Server, device: Provisioned, count: number, height: number): Promise<void> {
  const status = await eventually(async () => {
    const res = await request(http).get(`/api/v1/devices/${device.id}/status`).set(device.auth).expect(200);
    return res.body.accepted === count ? res.body : undefined;
  });
  expect(status.rejected).toBe(0);
  const entity = await request(http).get(`/ngsi-ld/v1/entities/${device.entityId}?options=keyValues`).set(device.auth).expect(200);
  expect(entity.body.height).toBe(height);
}

type RestartableService = Awaited<ReturnType<typeof restartableService>>;

/** A broker with `connections` service connections, a service to start on it, a publisher; all closed after `work`. */
async function withRestartableService(connections: number, work: (service: RestartableService, publisher: TestPublisher) => Promise<void>): Promise<void> {
  const broker = await startTestBroker(connections);
  const service = await restartableService(broker);
  const publisher = await broker.publisher();
  try {
    await work(service, publisher);
  } finally {
    await publisher.close();
    await service.close();
    await broker.close();
  }
}

/** The service on a database of its own, started (and stopped) as often as a test needs, connected to `broker`. */
async function restartableService(broker: TestBroker) {
  const database: TestDatabase = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'fatal', DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(database.poolSize), ...idp.env, ...broker.env });
  const apps: NestFastifyApplication[] = [];
  return {
    databaseUrl: database.url,
    async start(): Promise<{ app: NestFastifyApplication; http: Server }> {
      const app = await createApp(config);
      apps.push(app);
      await app.getHttpAdapter().getInstance().ready();
      const http = app.getHttpServer() as Server;
      await eventually(async () => ((await ingestStatus(http)).connections.connected === config.mqtt.connections ? true : undefined));
      return { app, http };
    },
    async close(): Promise<void> {
      for (const app of apps.splice(0)) await app.close().catch(() => undefined);
      await database.drop();
    },
  };
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
    try {
      await eventually(async () => ((await ingestStatus(t.http)).connected ? true : undefined));
      const device = await provision(t.http, 'savean-3');
      await renameTable(t.config.database.url!, 'device', 'device_away');
      await publisher.publish(device.topic, { level: 3.5, deviceKey: device.key });
      await eventually(async () => ((await ingestStatus(t.http)).failedCommits >= 2 ? true : undefined));
      expect((await ingestStatus(t.http)).messages.accepted).toBe(0);
      await renameTable(t.config.database.url!, 'device_away', 'device');
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
  it('are delivered when it is back, from its persistent sessions, and stored once acknowledged', async () => {
    await withRestartableService(2, async (service, publisher) => {
      const first = await service.start();
      const device = await provision(first.http, 'savean-2');
      await first.app.close();
      const published = 20;
      for (let n = 1; n <= published; n++) await publisher.publish(device.topic, { level: n / 10, observedAt: new Date(Date.UTC(2026, 10, 24, 6, n)).toISOString(), deviceKey: device.key });
      const second = await service.start();
      await expectStored(second.http, device, published, 2);
    });
  }, 60_000);
});

describe('messages received but not stored when the service stops', () => {
  it('are not acknowledged: one connection holds several, and the broker delivers them again to the next start', async () => {
    await withRestartableService(1, async (service, publisher) => {
      const first = await service.start();
      const device = await provision(first.http, 'savean-4');
      await renameTable(service.databaseUrl, 'device', 'device_away');
      const published = 5;
      for (let n = 1; n <= published; n++) await publisher.publish(device.topic, { level: n, observedAt: new Date(Date.UTC(2026, 10, 24, 7, n)).toISOString(), deviceKey: device.key });
      // All of them reach the one connection while none can be stored: none waits for another's acknowledgement.
      await eventually(async () => ((await ingestStatus(first.http)).messages.received === published ? true : undefined));
      expect((await ingestStatus(first.http)).messages.accepted).toBe(0);
      await first.app.close();
      await renameTable(service.databaseUrl, 'device_away', 'device');
      const second = await service.start();
      await expectStored(second.http, device, published, published);
    });
  }, 60_000);
});
