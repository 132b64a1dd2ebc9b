import { Logger } from '@nestjs/common';
import { connect, IConnackPacket, IPublishPacket, MqttClient } from 'mqtt';
import { MqttConfig } from 'src/config/messaging-config';
import { DEVICE_KEY_PROPERTY, ReceivedMessage } from 'src/ingest/ingest-preparation';
import { Settle } from 'src/ingest/mqtt/ingest-batcher';
import { subscriptionFilters } from 'src/ingest/mqtt/ingest-topics';

/**
 * Passed to mqtt.js's `handleMessage` callback: it goes on to the next packet without sending the
 * PUBACK, which this connection sends itself after commit.
 */
const ACKNOWLEDGED_AFTER_COMMIT = new Error('acknowledged after commit');

/**
 * mqtt.js's own way of sending a packet on the current connection (in order with its other
 * writes). It has no public one for a PUBACK sent later; the version is pinned by the lockfile and
 * the MQTT tests check redelivery and acknowledgement end to end.
 */
interface PacketSender {
  _sendPacket(packet: { cmd: 'puback'; messageId: number }, callback: (error?: Error) => void): void;
}

/** Receives each message; `settle(true)` once its batch committed acknowledges it. */
export type MessageSink = (message: ReceivedMessage, settle: Settle) => void;

/**
 * One MQTT connection of the service: a fixed client id and a persistent session (clean: false),
 * so the broker keeps queueing QoS 1 messages while the service is away; reconnects by itself.
 *
 * Delivery is at-least-once: a QoS 1 message is acknowledged (PUBACK) only once its batch has
 * committed, and one that is not (the service stopped, the connection dropped) is redelivered by
 * the broker. mqtt.js handles incoming packets one at a time and would send the PUBACK when the
 * callback of `handleMessage` is called; holding that callback until commit would also hold every
 * later packet, one message per connection per commit (measured: 124 messages/s on one
 * connection). So the callback is called at once with an error, which makes mqtt.js go on to the
 * next packet without acknowledging, and the PUBACK is sent after commit. Batches commit in the
 * order their messages arrived, so PUBACKs keep the order of the PUBLISHes (MQTT 3.1.1 §4.6,
 * MQTT 5 §4.6). How many messages may wait unacknowledged is the broker's in-flight window: the
 * Receive Maximum the connection asks for (MQTT 5), or the broker's own setting (Mosquitto's
 * `max_inflight_messages`, 20 by default, for MQTT 3.1.1).
 */
export class MqttConnection {
  private readonly logger: Logger;
  private readonly client: MqttClient;
  /** Bumped on every connect and close: an acknowledgement is sent only on the connection that received the message. */
  private generation = 0;
  private isConnected = false;
  private failing = false;
  /** Closed on purpose (shutdown): the connection ending is no loss to report. */
  private closing = false;

  constructor(
    private readonly config: MqttConfig,
    readonly clientId: string,
    private readonly sink: MessageSink,
  ) {
    this.logger = new Logger(`mqtt ${clientId}`);
    this.client = connect(config.url!, {
      clientId,
      clean: false,
      protocolVersion: config.protocolVersion,
      username: config.username,
      password: config.password,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      resubscribe: false,
      ...(config.protocolVersion === 5 ? { properties: { sessionExpiryInterval: config.sessionExpirySeconds, receiveMaximum: config.batchMax } } : {}),
    });
    this.client.handleMessage = (packet, done) => this.receive(packet, done);
    this.client.on('connect', (connack) => this.onConnect(connack));
    this.client.on('close', () => this.onClose());
    // An 'error' without a listener would crash the process; a broker that is away is not fatal.
    this.client.on('error', (error) => this.onError(error));
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Disconnects; unacknowledged messages stay with the broker, in this client's session. */
  async close(): Promise<void> {
    this.closing = true;
    this.generation++;
    const ended = this.client.endAsync(!this.isConnected).catch(() => undefined);
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  private receive(packet: IPublishPacket, done: (error?: Error) => void): void {
    const generation = this.generation;
    const key = packet.properties?.userProperties?.[DEVICE_KEY_PROPERTY];
    const message: ReceivedMessage = {
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      // A key sent twice joins into something no key matches: one key, once, or the message is refused.
      deviceKey: Array.isArray(key) ? key.join('\u0000') : key,
      receivedAt: new Date(),
    };
    this.sink(message, (committed) => {
      // Not committed (stopping), or received on a connection since replaced: no PUBACK, so the broker redelivers.
      if (committed && generation === this.generation) this.acknowledge(packet);
    });
    done(ACKNOWLEDGED_AFTER_COMMIT);
  }

  private acknowledge(packet: IPublishPacket): void {
    if (packet.qos !== 1 || packet.messageId === undefined) return;
    (this.client as unknown as PacketSender)._sendPacket({ cmd: 'puback', messageId: packet.messageId }, (error?: Error) => {
      if (error) this.logger.debug(`MQTT: could not acknowledge message ${packet.messageId}: ${error.message}`);
    });
  }

  private onConnect(connack: IConnackPacket): void {
    this.generation++;
    this.isConnected = true;
    this.failing = false;
    this.logger.log({ msg: 'MQTT connected', sessionPresent: connack.sessionPresent });
    if (this.config.protocolVersion === 5 && connack.properties?.sharedSubscriptionAvailable === false) {
      this.logger.error('The broker does not offer shared subscriptions; set MQTT_PROTOCOL_VERSION=4 and MQTT_CONNECTIONS=1');
    }
    void this.subscribe(connack.sessionPresent);
  }

  private async subscribe(sessionPresent: boolean): Promise<void> {
    const { topicPrefix, chirpstack, shareGroup } = this.config;
    const wanted = subscriptionFilters(topicPrefix, chirpstack, sharedSubscriptions(this.config) ? shareGroup : undefined);
    try {
      if (sessionPresent) {
        // A session kept from a run with other settings may hold subscriptions that would now deliver twice.
        const stale = [...subscriptionFilters(topicPrefix, true, shareGroup), ...subscriptionFilters(topicPrefix, true)].filter((f) => !wanted.includes(f));
        await this.client.unsubscribeAsync(stale);
      }
      await this.client.subscribeAsync(wanted, { qos: 1 });
      this.logger.log({ msg: 'MQTT subscribed', topics: wanted });
    } catch (error) {
      this.logger.error(`Could not subscribe to ${wanted.join(', ')} (does the broker's ACL allow it?): ${(error as Error).message}`);
    }
  }

  private onClose(): void {
    this.generation++;
    if (this.isConnected && !this.closing) this.logger.warn('MQTT connection lost; reconnecting');
    this.isConnected = false;
  }

  private onError(error: Error): void {
    // Once per outage at warn level: a broker that is down produces an error every reconnect.
    if (this.failing) return this.logger.debug(`MQTT: ${error.message}`);
    this.failing = true;
    this.logger.warn(`MQTT: ${error.message}; retrying every 2 s`);
  }
}

/**
 * Shared subscriptions spread messages over the connections and over replicas. MQTT 5 brokers
 * offer them (the service always uses them then, so that replicas never both write a message);
 * with MQTT 3.1.1, only when there are several connections (Mosquitto has them for 3.1.1 too).
 */
export function sharedSubscriptions(config: Pick<MqttConfig, 'protocolVersion' | 'connections'>): boolean {
  return config.protocolVersion === 5 || config.connections > 1;
}
