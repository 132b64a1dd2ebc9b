import { Client } from 'pg';
import { buildService, freePort, ServiceProcess } from 'test/support/service-process';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { NotificationReceiver } from 'test/support/notification-receiver';

/*
 * At-least-once delivery across a crash: a stream of updates runs while the service is killed
 * with SIGKILL and started again. Whatever committed (read back from the history, which the same
 * statements write, independently of the change feed) must reach every subscriber it matches;
 * duplicates are allowed, losses are not, and each entity's values first arrive in commit order.
 * Runs the built service as a process of its own, on a real PostgreSQL (DATABASE_URL).
 */

const withServer = process.env.DATABASE_URL ? describe : describe.skip;
const ENTITIES = 20;
const entityId = (n: number) => `urn:ngsi-ld:Sensor:crash-${n}`;

let database: TestDatabase;
let receiver: NotificationReceiver;
let service: ServiceProcess;

withServer('notifications across a kill -9 of the service', () => {
  beforeAll(async () => {
    buildService();
    database = await createTestDatabase();
    receiver = await NotificationReceiver.start();
    service = new ServiceProcess(
      {
        DATABASE_URL: database.url,
        NODE_ENV: 'production',
        NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS: 'true',
        CHANGES_POLL_INTERVAL_MS: '50',
        NOTIFICATION_MAX_BACKOFF_MS: '1000',
      },
      await freePort(),
    );
    await service.start();
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('delivers every committed change to every matching subscriber, in order per entity', async () => {
    const headers = { 'content-type': 'application/json', 'x-api-key': service.adminKey };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${service.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    await service.registerOrganisation();
    const dataset = await call('POST', '/api/v1/datasets', {
      title: { sv: 'Krocktest' },
      description: { sv: 'Sensorer' },
      entities: [{ type: 'Sensor' }],
      classification: { confidentiality: 0, integrity: 1, availability: 1 },
      open: true,
    });
    expect(dataset.status).toBe(201);
    for (let n = 0; n < ENTITIES; n++) {
      const created = await call('POST', '/ngsi-ld/v1/entities', { id: entityId(n), type: 'Sensor', temperature: { type: 'Property', value: -1 } });
      expect(created.status).toBe(201);
    }
    const subscriptions = {
      '/all': { entities: [{ type: 'Sensor' }] },
      '/some': { entities: [{ idPattern: '^urn:ngsi-ld:Sensor:crash-1[0-9]?$' }] },
      '/warm': { entities: [{ type: 'Sensor' }], q: 'temperature>300' },
    };
    for (const [path, selection] of Object.entries(subscriptions)) {
      const made = await call('POST', '/ngsi-ld/v1/subscriptions', { type: 'Subscription', ...selection, notification: { endpoint: { uri: receiver.url(path) } } });
      expect(made.status).toBe(201);
    }

    // Eight writers, each writing its own entities one update at a time, values increasing: each
    // entity's commit order is its value order. An update that got 204 committed.
    let next = 0;
    let running = true;
    const acknowledged: { entity: number; value: number }[] = [];
    const writers = Array.from({ length: 8 }, async (_, w) => {
      const own = [w, w + 8, w + 16].filter((n) => n < ENTITIES);
      for (let k = 0; running; k++) {
        const entity = own[k % own.length];
        const value = next++;
        const res = await call('PATCH', `/ngsi-ld/v1/entities/${encodeURIComponent(entityId(entity))}/attrs`, { temperature: { type: 'Property', value } }).catch(() => undefined);
        if (res?.status === 204) acknowledged.push({ entity, value });
        else await new Promise((resolve) => setTimeout(resolve, 50)); // the service is down
      }
    });
    await until(() => acknowledged.length >= 300);
    await service.kill();
    const atKill = acknowledged.length;
    await service.start();
    await until(() => acknowledged.length >= atKill + 300);
    running = false;
    await Promise.all(writers);

    // What committed: the history (same statements as the entity writes, not the change feed).
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const { rows } = await db.query<{ entity_id: string; value: number }>(
      `SELECT entity_id, (instance->>'value')::int AS value FROM attribute_instance
       WHERE attribute = 'https://uri.etsi.org/ngsi-ld/default-context/temperature' AND (instance->>'value')::int >= 0`,
    );
    await db.end();
    const committed = rows.map((row) => ({ entity: Number(row.entity_id.split('-').pop()), value: row.value }));
    const committedKeys = new Set(committed.map((c) => `${c.entity}:${c.value}`));
    expect(acknowledged.every((a) => committedKeys.has(`${a.entity}:${a.value}`))).toBe(true);

    const expected: Record<string, typeof committed> = {
      '/all': committed,
      '/some': committed.filter((c) => c.entity === 1 || (c.entity >= 10 && c.entity <= 19)),
      '/warm': committed.filter((c) => c.value > 300),
    };
    const receivedKeys = (path: string) =>
      new Set(receiver.entities(path).map((e) => `${Number(String(e.id).split('-').pop())}:${(e.temperature as { value: number }).value}`));
    for (const [path, wanted] of Object.entries(expected)) {
      await receiver.until(() => {
        const got = receivedKeys(path);
        return wanted.every((c) => got.has(`${c.entity}:${c.value}`));
      }, 60_000, `every committed change at ${path}`);
      // Each entity's values first arrive in the order they were written (duplicates may repeat older ones later).
      const firstSeen = new Map<string, number[]>();
      const seen = new Set<string>();
      for (const e of receiver.entities(path)) {
        const value = (e.temperature as { value: number }).value;
        if (value < 0 || seen.has(`${e.id as string}:${value}`)) continue;
        seen.add(`${e.id as string}:${value}`);
        firstSeen.set(e.id as string, [...(firstSeen.get(e.id as string) ?? []), value]);
      }
      for (const values of firstSeen.values()) expect(values).toEqual([...values].sort((a, b) => a - b));
    }
    expect(committed.length).toBeGreaterThan(atKill);
  }, 240_000);
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
