import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { eventually } from 'test/support/eventually';
import { followEventStream } from 'test/support/event-stream';
import { startTestBroker, TestBroker } from 'test/support/mqtt-broker';
import { buildService, freePort, ServiceProcess } from 'test/support/service-process';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';

/*
 * Stopping the service (SIGTERM, as Docker and Kubernetes do) while clients follow the change feed
 * and MQTT ingestion is connected: the streams end with an event telling clients to reconnect, a
 * request in flight is answered, and the process exits within 5 s, quietly.
 */

const withServer = process.env.DATABASE_URL ? describe : describe.skip;

let database: TestDatabase;
let broker: TestBroker;
let service: ServiceProcess;

withServer('shutdown', () => {
  beforeAll(async () => {
    buildService();
    database = await createTestDatabase();
    broker = await startTestBroker(8);
    service = new ServiceProcess({ ...broker.env, DATABASE_URL: database.url, LOG_LEVEL: 'info' }, await freePort());
    await service.start();
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await broker?.close();
    await database?.drop();
  });

  it('ends open SSE streams, finishes what is in flight and exits within 5 s', async () => {
    const headers = { 'content-type': 'application/json', 'x-api-key': service.adminKey };
    await service.registerOrganisation();
    const dataset = (await (
      await fetch(`${service.base}/api/v1/datasets`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: { sv: 'Stopptest' }, description: { sv: 'Sensorer' }, classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true }),
      })
    ).json()) as { id: string };
    await eventually(async () => /MQTT subscribed/.test(service.log) || undefined, 30_000);
    const streams = [0, 1, 2].map(() => followEventStream(`${service.base}/api/v1/changes?dataset=${dataset.id}`));
    await Promise.all(streams.map((s) => s.opened));
    // And a GraphQL subscriber, on a connection it keeps open (not lazy): it hears why, then the socket closes with 1001.
    let closedWith: number | undefined;
    const client = createClient({
      url: `${service.base.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined, // the close at shutdown is what this test expects

      on: { closed: (event) => (closedWith = (event as { code: number }).code) },
    });
    const heard: unknown[] = [];
    const subscribed = new Promise((resolve) => client.subscribe({ query: 'subscription { entityChanged { id } }' }, { next: (r) => heard.push(r), error: resolve, complete: () => resolve('complete') }));
    // Written until the subscriber hears it: then the subscription is live on the server.
    await eventually(async () => {
      await fetch(`${service.base}/ngsi-ld/v1/entityOperations/upsert`, {
        method: 'POST',
        headers: { ...headers, 'vgds-dataset': dataset.id },
        body: JSON.stringify([{ id: 'urn:ngsi-ld:Sensor:stopp-1', type: 'Sensor', n: { type: 'Property', value: Date.now() } }]),
      });
      return heard.length > 0 ? true : undefined;
    }, 20_000);

    const { ms, code, signal } = await service.terminate();
    const said = await Promise.all(streams.map((s) => s.ended));

    expect(ms).toBeLessThan(5000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    for (const text of said) expect(text).toMatch(/event: error\ndata: .*"status":503.*reconnect/);
    await subscribed;
    expect(heard.at(-1)).toEqual({ data: null, errors: [expect.objectContaining({ extensions: expect.objectContaining({ type: 'urn:vg-datashare:problem:service-stopping', status: 503 }) })] });
    expect(closedWith).toBe(1001);
    expect(service.log).not.toMatch(/connection lost; reconnecting/);
    expect(service.log).not.toMatch(/Cutting the connections still open/); // nothing was left for the backstop
    expect(service.log).toMatch(/database closed/);
    process.stdout.write(`shutdown with 3 SSE clients, a GraphQL subscriber and 8 MQTT connections: ${ms} ms\n`);
  }, 60_000);
});
