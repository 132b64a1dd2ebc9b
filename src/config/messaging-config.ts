import { z } from 'zod';
import { flag, integer } from 'src/config/config-parsers';

/*
 * The configuration of the service's messaging: device ingestion over MQTT, and the change feed
 * with its notifications. Part of AppConfig (src/config/app-config.ts).
 */

/** Device ingestion over MQTT; off while `url` is undefined. */
export interface MqttConfig {
  readonly url: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Client ids are `${clientId}-${i}`: fixed, so that the broker keeps each session while the service is down. */
  readonly clientId: string;
  /**
   * Connections sharing the subscriptions. Each takes up to `batchMax` unacknowledged messages
   * (MQTT 5), so one batches as well as many; the default, 32, dates from when each held one, and
   * stays so that deployments do not leave sessions behind on the broker (README).
   */
  readonly connections: number;
  /** The largest batch, and the MQTT 5 Receive Maximum of each connection. */
  readonly batchMax: number;
  readonly batchLingerMs: number;
  readonly topicPrefix: string;
  /** The shared-subscription group; replicas of one deployment share it, another deployment (staging) needs its own. */
  readonly shareGroup: string;
  readonly chirpstack: boolean;
  /** 5 (default) carries user properties and shared subscriptions; 4 (MQTT 3.1.1) for brokers without MQTT 5. */
  readonly protocolVersion: 4 | 5;
  /** How long the broker keeps a session (and queues its messages) while the service is away (MQTT 5). */
  readonly sessionExpirySeconds: number;
}

/** The change feed and subscription notifications (README, "Subscriptions and the change feed"). */
export interface NotificationsConfig {
  /** How often the change feed looks for changes other replicas committed. */
  readonly pollIntervalMs: number;
  /** Changes numbered and matched in one sequencer transaction, at most. */
  readonly sequenceBatch: number;
  /** Changes in one notification, at most (a throttled or recovering subscriber gets several per notification). */
  readonly maxChangesPerNotification: number;
  readonly timeoutMs: number;
  /** Back-off after failures doubles from 1 s up to this. */
  readonly maxBackoffMs: number;
  /** Changes are kept this long: for SSE resumption and for subscribers that are down. */
  readonly retentionHours: number;
  /** Whether endpoints may be loopback or private addresses (off in production: no requests into the service's own network). */
  readonly allowPrivateEndpoints: boolean;
  /** Entities in one periodic (timeInterval) notification, at most. */
  readonly periodicMaxEntities: number;
  /** The smallest `throttling` a subscription may ask for, in seconds. */
  readonly minThrottlingSeconds: number;
  /** The smallest `timeInterval` a periodic subscription may ask for, in seconds (each tick queries and sends the current state). */
  readonly minTimeIntervalSeconds: number;
}

/** The environment keys of this area, with their defaults. */
export const MESSAGING_ENV = {
  MQTT_URL: z.string().regex(/^(mqtts?|wss?|tcp|ssl|tls):\/\/[^\s/]+\/?$/, 'expected a broker URL like mqtt://broker:1883 or mqtts://broker:8883').optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'expected 1 to 60 letters, digits, "_", "." or "-"').default('vg-datashare-ingest'),
  MQTT_CONNECTIONS: integer(1, 64).default(32),
  MQTT_BATCH_MAX: integer(1, 10_000).default(500),
  MQTT_BATCH_LINGER_MS: integer(0, 10_000).default(20),
  MQTT_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'expected topic levels without wildcards, like vgds or city/vgds').default('vgds'),
  MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'expected 1 to 60 letters, digits, "_", "." or "-"').default('vg-datashare'),
  MQTT_CHIRPSTACK: flag.default(true),
  MQTT_PROTOCOL_VERSION: z.enum(['4', '5']).transform((v) => (v === '4' ? 4 : 5) as 4 | 5).default(5),
  MQTT_SESSION_EXPIRY_SECONDS: integer(60, 0xffffffff).default(7 * 24 * 3600),
  CHANGES_POLL_INTERVAL_MS: integer(10, 60_000).default(250),
  CHANGES_SEQUENCE_BATCH: integer(1, 100_000).default(2000),
  CHANGES_RETENTION_HOURS: integer(1, 24 * 365).default(24),
  NOTIFICATION_MAX_CHANGES: integer(1, 10_000).default(100),
  NOTIFICATION_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  NOTIFICATION_MAX_BACKOFF_MS: integer(1000, 24 * 3600 * 1000).default(300_000),
  NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS: flag.optional(),
  NOTIFICATION_PERIODIC_MAX_ENTITIES: integer(1, 10_000).default(1000),
  NOTIFICATION_MIN_THROTTLING_SECONDS: z.coerce.number().min(0).max(86_400).default(1),
  NOTIFICATION_MIN_TIME_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(5),
};

type MessagingEnv = z.infer<z.ZodObject<typeof MESSAGING_ENV>>;

export function mqttConfigOf(e: MessagingEnv): MqttConfig {
  return {
    url: e.MQTT_URL,
    username: e.MQTT_USERNAME,
    password: e.MQTT_PASSWORD,
    clientId: e.MQTT_CLIENT_ID,
    connections: e.MQTT_CONNECTIONS,
    batchMax: e.MQTT_BATCH_MAX,
    batchLingerMs: e.MQTT_BATCH_LINGER_MS,
    topicPrefix: e.MQTT_TOPIC_PREFIX,
    shareGroup: e.MQTT_SHARE_GROUP,
    chirpstack: e.MQTT_CHIRPSTACK,
    protocolVersion: e.MQTT_PROTOCOL_VERSION,
    sessionExpirySeconds: e.MQTT_SESSION_EXPIRY_SECONDS,
  };
}

export function notificationsConfigOf(e: MessagingEnv, environment: string): NotificationsConfig {
  return {
    pollIntervalMs: e.CHANGES_POLL_INTERVAL_MS,
    sequenceBatch: e.CHANGES_SEQUENCE_BATCH,
    retentionHours: e.CHANGES_RETENTION_HOURS,
    maxChangesPerNotification: e.NOTIFICATION_MAX_CHANGES,
    timeoutMs: e.NOTIFICATION_TIMEOUT_MS,
    maxBackoffMs: e.NOTIFICATION_MAX_BACKOFF_MS,
    // Outside production, a receiver on the same machine is the usual way to try subscriptions out.
    allowPrivateEndpoints: e.NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS ?? environment !== 'production',
    periodicMaxEntities: e.NOTIFICATION_PERIODIC_MAX_ENTITIES,
    minThrottlingSeconds: e.NOTIFICATION_MIN_THROTTLING_SECONDS,
    minTimeIntervalSeconds: e.NOTIFICATION_MIN_TIME_INTERVAL_SECONDS,
  };
}

export function messagingProblems(e: MessagingEnv): string[] {
  return e.MQTT_PASSWORD !== undefined && e.MQTT_USERNAME === undefined ? ['MQTT_USERNAME: required with MQTT_PASSWORD'] : [];
}
