import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { AddressInfo, createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { connectAsync, IClientPublishOptions, MqttClient } from 'mqtt';

/*
 * The MQTT broker of the ingestion tests: the Mosquitto at 127.0.0.1:1883 when one answers there
 * (MQTT 5, shared subscriptions, persistent sessions, as in production), else an embedded aedes
 * broker (MQTT 3.1.1 only, no shared subscriptions: one connection, keys in the payload only).
 * Every test file gets its own topic prefix, share group and client ids, so that files can run
 * against one shared broker, and removes its sessions at the end.
 */

export interface TestBroker {
  readonly kind: 'mosquitto' | 'aedes';
  readonly url: string;
  /** Whether user properties (the device key as vgds-device-key) reach the service. */
  readonly supportsMqtt5: boolean;
  /** Service settings for this broker and this test file. */
  readonly env: Record<string, string>;
  /** A client that publishes, like a device (or ChirpStack) would. */
  publisher(): Promise<TestPublisher>;
  /** Ends the service's persistent sessions on the broker, then the embedded broker if any. */
  close(): Promise<void>;
}

export interface TestPublisher {
  publish(topic: string, payload: unknown, options?: IClientPublishOptions): Promise<void>;
  close(): Promise<void>;
}

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

export async function startTestBroker(connections = 4): Promise<TestBroker> {
  const suffix = randomBytes(4).toString('hex');
  const names = { MQTT_TOPIC_PREFIX: `vgds-test-${suffix}`, MQTT_SHARE_GROUP: `vgds-test-${suffix}`, MQTT_CLIENT_ID: `vgds-test-${suffix}` };
  const mosquitto = process.env.VGDS_TEST_MQTT !== 'aedes' && (await answers(MOSQUITTO.host, MOSQUITTO.port));
  if (mosquitto) {
    const url = `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`;
    const env = { MQTT_URL: url, MQTT_CONNECTIONS: String(connections), MQTT_PROTOCOL_VERSION: '5', MQTT_SESSION_EXPIRY_SECONDS: '120', ...names };
    return broker('mosquitto', url, env, connections, async () => undefined);
  }
  const embedded = await startAedes();
  const env = { MQTT_URL: embedded.url, MQTT_CONNECTIONS: '1', MQTT_PROTOCOL_VERSION: '4', ...names };
  return broker('aedes', embedded.url, env, 1, () => embedded.close());
}

function broker(kind: TestBroker['kind'], url: string, env: Record<string, string>, connections: number, stop: () => Promise<void>): TestBroker {
  const protocolVersion = kind === 'mosquitto' ? 5 : 4;
  return {
    kind,
    url,
    supportsMqtt5: protocolVersion === 5,
    env,
    publisher: () => startPublisher(url, protocolVersion),
    close: async () => {
      await forgetSessions(url, protocolVersion, env.MQTT_CLIENT_ID, connections);
      await stop();
    },
  };
}

export async function startPublisher(url: string, protocolVersion: 4 | 5): Promise<TestPublisher> {
  const client: MqttClient = await connectAsync(url, { protocolVersion, clientId: `vgds-test-pub-${randomBytes(4).toString('hex')}`, reconnectPeriod: 200 });
  return {
    publish: async (topic, payload, options = {}) => {
      const body = Buffer.isBuffer(payload) || typeof payload === 'string' ? payload : JSON.stringify(payload);
      await client.publishAsync(topic, body, { qos: 1, ...options });
    },
    close: () => client.endAsync(),
  };
}

/** Connects with a clean start as each of the service's client ids, which ends their sessions. */
export async function forgetSessions(url: string, protocolVersion: 4 | 5, clientId: string, connections: number): Promise<void> {
  for (let i = 0; i < connections; i++) {
    const client = await connectAsync(url, { clientId: `${clientId}-${i}`, clean: true, protocolVersion, reconnectPeriod: 0 }).catch(() => undefined);
    await client?.endAsync();
  }
}

/*
 * aedes is an ES module whose own modules import each other by default import, which Jest's
 * CommonJS transform cannot follow; it runs in a child Node process instead, as a broker would.
 */
const AEDES_SCRIPT = `
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
const aedes = await Aedes.createBroker();
const server = createServer(aedes.handle);
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGTERM', () => { server.close(); aedes.close(() => process.exit(0)); });
`;

/** An embedded aedes broker (MQTT 3.1.1) on `port` (0: any free port). */
export async function startAedes(port = 0): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', AEDES_SCRIPT, String(port)], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const bound = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`aedes exited with ${code}`)));
  });
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    port: bound,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A TCP port nothing listens on (for a broker that is not there). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}
