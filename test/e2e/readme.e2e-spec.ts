import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from 'test/support/eventually';
import { startTestBroker, TestBroker } from 'test/support/mqtt-broker';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { ReadmeStep, readmeSteps, shownOutputs, showsTruly } from 'test/support/readme-steps';
import { buildService, freePort, ServiceProcess } from 'test/support/service-process';
import { BackgroundScript, ShellSession } from 'test/support/shell-session';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';

/*
 * The README's example session, run as a new user would: its sh blocks, in order, in one bash, in
 * a directory where `data` is the data directory of a freshly started service (the built service
 * as `npm start` runs it, on a fresh database of the test's, embedded or on DATABASE_URL's server;
 * its first start writes the administrator key there). Each block's HTTP statuses and the outputs
 * it shows are checked, and key fields in `checks`. The commands are changed only by `rewrites`
 * (the service and the twin's webhook are elsewhere) and, when the MQTT broker is not Mosquitto on
 * 1883, by a `mosquitto_pub` shell function that publishes to the test's broker.
 */

const ROOT = join(__dirname, '..', '..');
const steps = readmeSteps(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const WEBHOOK = 'https://twin.example.org/notify';
const ASKIM = 'urn:ngsi-ld:WaterQualityObserved:askim';
const WATER_QUALITY = 'https://smartdatamodels.org/dataModel.Environment/WaterQualityObserved';

let service: ServiceProcess;
let database: TestDatabase;
let broker: TestBroker;
let receiver: NotificationReceiver;
let shell: ShellSession;
let workDir: string;
const background: { script: string; running: BackgroundScript }[] = [];

/** The only changes made to the README's commands (and to the outputs they show). */
function rewrites(): [from: string, to: string][] {
  return [
    ['localhost:1026', `localhost:${service.port}`],
    [WEBHOOK, receiver.url('/notify')],
  ];
}

function rewrite(script: string): string {
  return rewrites().reduce((text, [from, to]) => text.split(from).join(to), script);
}

/** What a step printed, and other texts its shown outputs may be found in (a notification received). */
interface StepRun {
  readonly stdout: string;
  readonly observed: string[];
}

/** Checks of key fields beyond statuses and shown outputs, by step name. */
const checks: Record<string, (run: StepRun) => Promise<void>> = {
  'the administrator key': async () => {
    expect(await shell.value('KEY')).toBe(service.adminKey);
  },
  'an open and a restricted dataset': async () => {
    const [open, meters, gbg] = [await shell.value('OPEN'), await shell.value('METERS'), await shell.value('GBG')];
    expect(await api('GET', `/api/v1/datasets/${open}`)).toMatchObject({ organisation: 'goteborg', open: true, accessRights: 'PUBLIC', status: 'active' });
    expect(await api('GET', `/api/v1/datasets/${meters}`)).toMatchObject({ organisation: 'goteborg', accessRights: 'NON_PUBLIC', status: 'active' });
    expect(await api('GET', `/api/v1/datasets/${meters}/grants`)).toEqual([expect.objectContaining({ organisation: 'boras', status: 'active' })]);
    expect(await api('GET', '/api/v1/me', gbg)).toMatchObject({ organisation: 'goteborg', apiKey: { write: true } });
    expect(await api('GET', `/ngsi-ld/v1/entities/${ASKIM}`, null)).toMatchObject({ type: WATER_QUALITY });
  },
  history: async () => {
    // One type still (the full IRI, not a second, short one), and the current value did not move back to July.
    expect(await api('GET', `/ngsi-ld/v1/entities/${ASKIM}`, null)).toMatchObject({ type: WATER_QUALITY, temperature: { value: 16.5 } });
  },
  'register a device': async () => {
    expect(await shell.value('DEVICE_KEY')).toMatch(/^vgdsdev_[0-9a-f]{32}_/);
  },
  'a notification': async (run) => {
    await receiver.until(() => receiver.at('/notify').length > 0, 20_000, 'the twin to be notified');
    const [notification] = receiver.at('/notify');
    expect(notification.headers.authorization).toBe('Bearer <token>');
    expect(notification.headers.link).toMatch(/ngsi-ld-core-context/);
    run.observed.push(JSON.stringify(notification.body));
  },
};

/** The service's answer (JSON) to a request with the administrator key, another key, or none (`null`). */
async function api(method: string, path: string, key: string | null = service.adminKey): Promise<unknown> {
  const res = await fetch(`${service.base}${path}`, { method, headers: key === null ? {} : { 'x-api-key': key } });
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return res.json();
}

function expectShown(shown: string, observed: readonly string[]): void {
  if (observed.some((text) => showsTruly(shown, text))) return;
  throw new Error(`The README shows\n${shown}\nbut the commands printed\n${observed.join('\n---\n')}`);
}

async function runStep(step: ReadmeStep): Promise<void> {
  const script = rewrite(step.script);
  if (step.background) {
    const running = await shell.background(script);
    background.push({ script, running });
    // It has started (a stream says so at once) before the next step makes something happen.
    await eventually(async () => (running.output().length > 0 ? true : undefined), 15_000);
    return;
  }
  const attempt = async (): Promise<true> => {
    const run = await shell.run(script);
    const said = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    expect({ statuses: run.statuses, said }).toEqual({ statuses: step.expectedStatuses, said });
    expect({ exitStatus: run.exitStatus, said }).toEqual({ exitStatus: 0, said });
    expect(run.stderr).not.toMatch(/command not found|syntax error|No such file/);
    const stepRun: StepRun = { stdout: run.stdout, observed: [run.stdout] };
    await checks[step.name]?.(stepRun);
    for (const shown of shownOutputs(script)) expectShown(shown, stepRun.observed);
    return true;
  };
  if (step.eventually) await eventually(attempt, 20_000, 250);
  else await attempt();
}

describe('the README example session', () => {
  beforeAll(async () => {
    buildService();
    receiver = await NotificationReceiver.start();
    // The README's topics are under the default prefix, vgds/; share group and client ids stay the test's own.
    broker = await startTestBroker(2);
    database = await createTestDatabase();
    service = new ServiceProcess(
      { ...broker.env, MQTT_TOPIC_PREFIX: 'vgds', DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(database.poolSize) },
      await freePort(),
    );
    await service.start();
    await eventually(async () => ((await api('GET', '/api/v1/ingest/status', null)) as { connected: boolean }).connected || undefined, 30_000);
    workDir = mkdtempSync(join(tmpdir(), 'vgds-readme-'));
    symlinkSync(service.dataDir, join(workDir, 'data'));
    shell = new ShellSession(workDir, mosquittoPubStandIn(broker));
  }, 180_000);

  afterAll(async () => {
    await shell?.close(background.map((b) => b.running));
    await service?.stop();
    await broker?.close();
    await receiver?.close();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  for (const step of steps) {
    if (step.notRun) it.skip(`${step.name} (not run: ${step.notRun})`, () => undefined);
    else it(`${step.name} (README.md:${step.line})`, () => runStep(step), 60_000);
  }

  it('what the commands left running printed is what the README shows', async () => {
    for (const { script, running } of background) {
      await eventually(async () => {
        for (const shown of shownOutputs(script)) expectShown(shown, [running.output()]);
        return true;
      }, 20_000, 250);
    }
  }, 60_000);
});

describe('reading the README', () => {
  it('has a marker on every sh block, and a step for every check of this file', () => {
    const names = steps.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of Object.keys(checks)) expect(names).toContain(name);
    expect(steps.filter((s) => !s.notRun).length).toBeGreaterThan(10);
  });

  it('refuses an sh block without a marker, and a marker it does not know', () => {
    expect(() => readmeSteps('text\n```sh\ncurl x\n```\n')).toThrow(/README.md:2: an sh block without a readme-test marker/);
    expect(() => readmeSteps('<!-- readme-test: x; expect 200 -->\n\n```sh\ncurl x\n```\n')).toThrow(/README.md:1: a readme-test marker not right above/);
    expect(() => readmeSteps('<!-- readme-test: x; expects 200 -->\n```sh\ncurl x\n```\n')).toThrow(/option "expects 200"/);
    const [step] = readmeSteps('<!-- readme-test: read; expect 200 201; eventually -->\n```sh\ncurl x\n```\n');
    expect(step).toMatchObject({ name: 'read', expectedStatuses: [200, 201], eventually: true, background: false, script: 'curl x\n', line: 3 });
  });

  it('finds the outputs a block shows and compares them with "..." as a wildcard', () => {
    const script = ['# Create it:', 'curl -i x', '# HTTP/1.1 201 Created', '# ...', '# location: /a', 'curl y', '# {"id":"...",', '#  "n":1}'].join('\n');
    expect(shownOutputs(script)).toEqual(['HTTP/1.1 201 Created\n...\nlocation: /a', '{"id":"...",\n "n":1}']);
    expect(showsTruly('{"id":"...",\n "n":1}', 'x{"id":"urn:a","n":1}')).toBe(true);
    expect(showsTruly('{"id":"...",\n "n":1}', '{"id":"urn:a","n":2}')).toBe(false);
    expect(showsTruly('HTTP/1.1 201 Created\n...\nlocation: /a', 'HTTP/1.1 201 Created\r\nx-a: b\r\nlocation: /a\r\n')).toBe(true);
    expect(showsTruly('a.b', 'axb')).toBe(false);
  });
});

/**
 * `mosquitto_pub` as the README uses it, aimed at the test's broker: the real client when the
 * broker is Mosquitto on its usual port (nothing to change), else the client (or the mqtt package's
 * `mqtt_pub`, which takes the same options) with the broker's port.
 */
function mosquittoPubStandIn(testBroker: TestBroker): string {
  const port = new URL(testBroker.url).port;
  const hasClient = spawnSync('sh', ['-c', 'command -v mosquitto_pub']).status === 0;
  if (hasClient && port === '1883') return '';
  const client = hasClient ? 'command mosquitto_pub' : `"${join(ROOT, 'node_modules', '.bin', 'mqtt_pub')}"`;
  return `mosquitto_pub() { ${client} -h 127.0.0.1 -p ${port} "$@"; }`;
}
