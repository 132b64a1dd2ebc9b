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

    const { ms, code, signal } = await service.terminate();
    const said = await Promise.all(streams.map((s) => s.ended));

    expect(ms).toBeLessThan(5000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    for (const text of said) expect(text).toMatch(/event: error\ndata: .*"status":503.*reconnect/);
    expect(service.log).not.toMatch(/connection lost; reconnecting/);
    expect(service.log).not.toMatch(/Cutting the connections still open/); // nothing was left for the backstop
    expect(service.log).toMatch(/database closed/);
    process.stdout.write(`shutdown with 3 SSE clients and 8 MQTT connections: ${ms} ms\n`);
  }, 60_000);
});
