import { randomUUID } from 'node:crypto';
import { connect, MqttClient } from 'mqtt';
import { isIP } from 'node:net';
import { assertPublicHost, publicAddressesOf } from 'src/ngsi-ld/subscriptions/delivery/endpoint-guard';
import { DeliveryFailed } from 'src/ngsi-ld/subscriptions/delivery/http-notifier';

const IDLE_CLOSE_MS = 5 * 60_000;

interface Connection {
  readonly client: MqttClient;
  lastUsed: number;
}

/**
 * Publishes notifications to MQTT brokers named by subscriptions (mqtt[s]://[user:pass@]host[:port]/topic),
 * one connection per broker and credentials, closed when idle. Success at QoS 1 and 2 is the
 * broker's acknowledgement; at QoS 0, handing the message to the connection.
 */
export class MqttNotifier {
  private readonly connections = new Map<string, Connection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly allowPrivate: boolean) {
    this.sweeper = setInterval(() => this.closeIdle(), 60_000);
    this.sweeper.unref();
  }

  async publish(uri: string, payload: string, options: { qos: 0 | 1 | 2; version: 4 | 5; timeoutMs: number }): Promise<void> {
    const url = new URL(uri);
    if (!this.allowPrivate) assertPublicHost(url.hostname);
    const topic = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const connection = await this.connection(url, options.version, options.timeoutMs);
    connection.lastUsed = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeliveryFailed(`The broker did not acknowledge within ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    try {
      await Promise.race([connection.client.publishAsync(topic, payload, { qos: options.qos }), timeout]);
    } catch (error) {
      throw error instanceof DeliveryFailed ? error : new DeliveryFailed(`Could not publish: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const { client } of this.connections.values()) client.end(true);
    this.connections.clear();
  }

  private async connection(url: URL, version: 4 | 5, timeoutMs: number): Promise<Connection> {
    const port = url.port || (url.protocol === 'mqtts:' ? '8883' : '1883');
    const key = `${url.protocol}//${url.username}:${url.password}@${url.hostname}:${port}#${version}`;
    let connection = this.connections.get(key);
    if (!connection) {
      const host = await this.connectableHost(url.hostname);
      const client = connect(`${url.protocol}//${host}:${port}`, {
        // TLS checks the certificate against the name, also when connecting to the address it was checked to have.
        servername: isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? url.hostname : undefined,
        clientId: `vgds-notify-${randomUUID().slice(0, 8)}`,
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        protocolVersion: version,
        reconnectPeriod: 2000,
        connectTimeout: timeoutMs,
        // Messages are never queued while away: a failure is the sender's to retry, in order.
        queueQoSZero: false,
      });
      client.on('error', () => undefined);
      connection = { client, lastUsed: Date.now() };
      this.connections.set(key, connection);
    }
    if (!connection.client.connected) await waitConnected(connection.client, timeoutMs);
    return connection;
  }

  /**
   * Where to connect: the host itself, or (private endpoints refused) the public address it
   * resolves to now, so that the connection and its reconnections go where the check looked.
   */
  private async connectableHost(hostname: string): Promise<string> {
    if (this.allowPrivate) return hostname;
    const [address] = await publicAddressesOf(hostname).catch((error: unknown) => {
      throw new DeliveryFailed((error as Error).message);
    });
    if (address === undefined) throw new DeliveryFailed(`${hostname} does not resolve`);
    return isIP(address) === 6 ? `[${address}]` : address;
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [key, connection] of this.connections) {
      if (now - connection.lastUsed > IDLE_CLOSE_MS) {
        connection.client.end(true);
        this.connections.delete(key);
      }
    }
  }
}

function waitConnected(client: MqttClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('connect', onConnect);
      reject(new DeliveryFailed(`Could not connect to the broker within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('connect', onConnect);
  });
}
