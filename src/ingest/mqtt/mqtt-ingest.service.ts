import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { IngestPipeline } from 'src/ingest/ingest-pipeline';
import { ReceivedMessage } from 'src/ingest/ingest-preparation';
import { IngestStats } from 'src/ingest/ingest-stats';
import { IngestBatcher } from 'src/ingest/mqtt/ingest-batcher';
import { MqttConnection } from 'src/ingest/mqtt/mqtt-connection';

export interface IngestStatus {
  readonly enabled: boolean;
  readonly connected: boolean;
  readonly connections: { readonly configured: number; readonly connected: number };
  readonly messages: { readonly received: number; readonly accepted: number; readonly rejected: number };
  readonly batches: number;
  readonly failedCommits: number;
  readonly lastBatch?: { readonly at: string; readonly size: number; readonly ms: number };
}

/**
 * Device ingestion over MQTT, when MQTT_URL is set: MQTT_CONNECTIONS connections (client ids
 * `${MQTT_CLIENT_ID}-${i}`) share the subscriptions (`$share/vg-datashare/...`), so the broker
 * spreads messages over them, and over the replicas of the service. Each connection takes as many
 * unacknowledged messages as the broker's in-flight window allows (see MqttConnection); a batch
 * commits as soon as the one before it has, with what has arrived meanwhile (up to MQTT_BATCH_MAX).
 * Starting never waits for the broker: the service comes up without it and connects when it can.
 */
@Injectable()
export class MqttIngest implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('mqtt');
  private connections: MqttConnection[] = [];
  private batcher: IngestBatcher<ReceivedMessage> | undefined;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly pipeline: IngestPipeline,
    private readonly stats: IngestStats,
  ) {}

  onApplicationBootstrap(): void {
    const mqtt = this.config.mqtt;
    if (mqtt.url === undefined) return;
    this.batcher = new IngestBatcher<ReceivedMessage>(
      { maxBatch: mqtt.batchMax, lingerMs: mqtt.batchLingerMs, capacity: () => this.connections.filter((c) => c.connected).length },
      (batch) => this.pipeline.commit(batch),
      (error, delayMs) => {
        this.stats.failedCommits++;
        this.logger.error(`Could not store a batch of MQTT messages (retrying in ${delayMs} ms; they stay unacknowledged): ${(error as Error).message}`);
      },
    );
    const batcher = this.batcher;
    const sink = (message: ReceivedMessage, settle: (committed: boolean) => void) => {
      this.stats.received++;
      batcher.add(message, settle);
    };
    this.connections = Array.from({ length: mqtt.connections }, (_, i) => new MqttConnection(mqtt, `${mqtt.clientId}-${i}`, sink));
    this.logger.log({ msg: 'MQTT ingestion starting', broker: brokerOf(mqtt.url), connections: mqtt.connections, clientId: mqtt.clientId });
  }

  /** Before the database closes: finish the batch under way, then disconnect. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.batcher?.stop();
    await Promise.all(this.connections.map((c) => c.close()));
    this.connections = [];
  }

  status(): IngestStatus {
    const connected = this.connections.filter((c) => c.connected).length;
    const { received, accepted, rejected, batches, failedCommits, lastBatch } = this.stats;
    return {
      enabled: this.config.mqtt.url !== undefined,
      connected: connected > 0,
      connections: { configured: this.connections.length, connected },
      messages: { received, accepted, rejected },
      batches,
      failedCommits,
      ...(lastBatch ? { lastBatch } : {}),
    };
  }
}

/** The broker's address without credentials, for logs. */
function brokerOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparsable URL)';
  }
}
