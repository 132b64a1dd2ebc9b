import { Client } from 'pg';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { eventually } from 'test/support/eventually';
import { followEventStream } from 'test/support/event-stream';
import { startTestBroker, TestBroker, TestPublisher } from 'test/support/mqtt-broker';
import { buildService, freePort, ServiceProcess } from 'test/support/service-process';
import { TcpProxy } from 'test/support/tcp-proxy';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';

/*
 * A database outage under load. The service runs as a process of its own and reaches PostgreSQL
 * through a proxy this test controls. While 50 requests a second (half creates, half reads) come
 * in, the server ends every connection of the service (pg_terminate_backend: the same FATAL
 * "terminating connection due to administrator command" a fast shutdown sends) and the proxy then
 * refuses connections for a while, as a stopped server would. The process must live through it,
 * answer 503 with Retry-After meanwhile, and resume by itself: requests, the change feed,
 * subscriptions and MQTT ingestion, with no acknowledged write lost.
 */

const withServer = process.env.DATABASE_URL ? describe : describe.skip;
const OUTAGE_MS = 6000;
const RATE_PER_SECOND = 50;

interface Answer {
  readonly kind: 'create' | 'read';
  readonly at: number;
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | null;
  readonly problemType?: string;
  readonly entityId?: string;
}

let database: TestDatabase;
let proxy: TcpProxy;
let receiver: NotificationReceiver;
let broker: TestBroker;
let publisher: TestPublisher;
let service: ServiceProcess;

withServer('a database outage under load', () => {
  beforeAll(async () => {
    buildService();
    database = await createTestDatabase();
    const direct = new URL(database.url);
    proxy = await TcpProxy.start(direct.hostname, Number(direct.port || 5432));
    receiver = await NotificationReceiver.start();
    broker = await startTestBroker(2);
    publisher = await broker.publisher();
    service = new ServiceProcess(
      {
        ...broker.env,
        DATABASE_URL: proxy.url(database.url),
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
    await publisher?.close();
    await broker?.close();
    await receiver?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('lives through it, answers 503 meanwhile, and resumes with nothing acknowledged lost', async () => {
    const headers = { 'content-type': 'application/json', 'x-api-key': service.adminKey };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${service.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

    await service.registerOrganisation();
    const dataset = (await (
      await call('POST', '/api/v1/datasets', {
        title: { sv: 'Avbrottstest' },
        description: { sv: 'Sensorer' },
        entities: [{ type: 'Sensor' }],
        classification: { confidentiality: 0, integrity: 1, availability: 1 },
        open: true,
      })
    ).json()) as { id: string };
    const subscription = await call('POST', '/ngsi-ld/v1/subscriptions', {
      type: 'Subscription',
      entities: [{ type: 'Sensor' }],
      notificationTrigger: ['entityCreated'],
      notification: { endpoint: { uri: receiver.url('/sensors') } },
    });
    expect(subscription.status).toBe(201);
    const device = (await (
      await call('POST', '/api/v1/devices', {
        deviceId: 'meter-1',
        entity: { id: 'urn:ngsi-ld:Sensor:meter-1', type: 'Sensor' },
        dataset: dataset.id,
        mapping: [{ field: 'level', attribute: 'level', type: 'number' }],
      })
    ).json()) as { topics: string[]; key: string };
    expect(device.topics).toBeDefined();
    const stream = followEventStream(`${service.base}/api/v1/changes?dataset=${dataset.id}`);

    // The load: one request every 20 ms, creates and reads taking turns, none waiting for another.
    const answers: Answer[] = [];
    const inFlight = new Set<Promise<void>>();
    let n = 0;
    const load = setInterval(() => {
      const i = n++;
      const kind = i % 2 === 0 ? 'create' : 'read';
      const entityId = `urn:ngsi-ld:Sensor:load-${i}`;
      const request = (kind === 'create'
        ? call('POST', '/ngsi-ld/v1/entities', { id: entityId, type: 'Sensor', level: { type: 'Property', value: i } })
        : call('GET', `/ngsi-ld/v1/entities?type=Sensor&limit=5`)
      )
        .then(async (res) => {
          const body = res.headers.get('content-type')?.includes('json') ? ((await res.json().catch(() => undefined)) as { type?: string } | undefined) : undefined;
          answers.push({
            kind,
            at: Date.now(),
            status: res.status,
            contentType: res.headers.get('content-type') ?? '',
            retryAfter: res.headers.get('retry-after'),
            problemType: res.status >= 400 ? body?.type : undefined,
            entityId: kind === 'create' ? entityId : undefined,
          });
        })
        .catch((error: Error) => {
          answers.push({ kind, at: Date.now(), status: 0, contentType: error.message, retryAfter: null });
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }, 1000 / RATE_PER_SECOND);

    await sleep(2000);
    const outageStart = Date.now();
    await terminateServiceConnections(database.url);
    proxy.cut();
    await sleep(OUTAGE_MS / 2);
    // Meanwhile: the process is alive, /health says fail, a device publishes.
    expect(service.running).toBe(true);
    const health = await fetch(`${service.base}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('fail');
    await publisher.publish(device.topics[0], { level: 42, deviceKey: device.key });
    await sleep(OUTAGE_MS / 2);
    proxy.restore();
    const restoredAt = Date.now();
    await sleep(3000);
    clearInterval(load);
    await Promise.all([...inFlight]);

    expect(service.running).toBe(true);
    expect(service.log).not.toMatch(/Unhandled 'error' event|UnhandledPromiseRejection/);
    const statuses = countBy(answers.map((a) => a.status));
    // No 500s, no dropped connections: success, or 503 problem details with Retry-After.
    expect(Object.keys(statuses).sort()).toEqual(expect.arrayContaining(['503']));
    for (const answer of answers) {
      if (answer.status < 300) continue;
      expect(answer).toMatchObject({ status: 503, contentType: expect.stringContaining('application/problem+json'), retryAfter: expect.stringMatching(/^\d+$/) });
    }
    const during = answers.filter((a) => a.at > outageStart + 500 && a.at < restoredAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((a) => a.status === 503)).toBe(true);
    const firstSuccess = answers.filter((a) => a.at >= restoredAt && a.status < 300).sort((a, b) => a.at - b.at)[0];
    expect(firstSuccess).toBeDefined();
    const recovery = firstSuccess.at - restoredAt;
    expect(recovery).toBeLessThan(1000);
    process.stdout.write(
      `database outage: ${answers.length} answers (${JSON.stringify(statuses)}), ${during.length} during the outage, ` +
        `first success ${recovery} ms after the database returned\n`,
    );

    // Nothing acknowledged is lost.
    const acknowledged = answers.filter((a) => a.kind === 'create' && a.status === 201).map((a) => a.entityId!);
    const stored = await storedIds(database.url);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    // The change feed and subscriptions resume: a create after the outage is notified, and every
    // acknowledged create is notified at least once.
    expect((await call('POST', '/ngsi-ld/v1/entities', { id: 'urn:ngsi-ld:Sensor:after', type: 'Sensor', level: { type: 'Property', value: 1 } })).status).toBe(201);
    const wanted = [...acknowledged, 'urn:ngsi-ld:Sensor:after'];
    await receiver.until(() => {
      const seen = new Set(receiver.entities('/sensors').map((e) => e.id));
      return wanted.every((id) => seen.has(id));
    }, 30_000, 'a notification of every acknowledged create');

    // The SSE stream said to reconnect; a new one works.
    expect(await stream.ended).toMatch(/event: error/);
    const again = followEventStream(`${service.base}/api/v1/changes?dataset=${dataset.id}`);
    await again.opened;
    again.close();

    // MQTT ingestion resumes: the message published during the outage is stored.
    await eventually(async () => {
      const res = await call('GET', '/ngsi-ld/v1/entities/urn:ngsi-ld:Sensor:meter-1?options=keyValues');
      return (res.status === 200 && ((await res.json()) as { level?: number }).level === 42) || undefined;
    }, 30_000);
  }, 120_000);
});

withServer('a database that is not there at start-up', () => {
  it('is waited for, and the service starts (migrations included) once it is there', async () => {
    const fresh = await createTestDatabase();
    const direct = new URL(fresh.url);
    const gate = await TcpProxy.start(direct.hostname, Number(direct.port || 5432));
    const late = new ServiceProcess({ DATABASE_URL: gate.url(fresh.url), NODE_ENV: 'production' }, await freePort());
    try {
      gate.cut();
      const started = late.start();
      started.catch(() => undefined); // awaited below; a failure is reported there
      await eventually(async () => /"attempt":3/.test(late.log) || undefined, 60_000);
      expect(late.running).toBe(true);
      expect(late.log).toMatch(/waiting for the database/);
      gate.restore();
      await started;
      const res = await fetch(`${late.base}/ngsi-ld/v1/entities?type=Sensor`, { headers: { 'x-api-key': late.adminKey } });
      expect(res.status).toBe(200);
    } finally {
      await late.stop();
      await gate.close();
      await fresh.drop();
    }
  }, 120_000);
});

/** Ends every connection to the test's database but our own, as a fast shutdown of the server does. */
async function terminateServiceConnections(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  } finally {
    await client.end();
  }
}

async function storedIds(url: string): Promise<Set<string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM entity`);
    return new Set(rows.map((row) => row.id));
  } finally {
    await client.end();
  }
}

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
