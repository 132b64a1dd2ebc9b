import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { DeviceStatusRepository } from 'src/ingest/devices/device-status.repository';
import { IngestDeviceRecord, DevicesRepository } from 'src/ingest/devices/devices.repository';
import { deviceLookupKey, MessageResult, Prepared, prepareMessage, ReceivedMessage, statusDeltas } from 'src/ingest/ingest-preparation';
import { IngestStats } from 'src/ingest/ingest-stats';
import { IngestWriter } from 'src/ingest/ingest-writer';
import { MeasurementOutcome } from 'src/ingest/measurement';
import { DeviceAddress, parseTopic } from 'src/ingest/mqtt/ingest-topics';

/**
 * Commits one batch of MQTT messages: finds their devices (one query), checks, decodes and maps
 * each message, writes the measurements (a transaction per tenant), then adds to the devices' status
 * (one statement). Throws only when the database fails, before anything was written; a refused
 * message is an outcome, not an error, so it never holds up the others.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger('ingest');

  constructor(
    private readonly devices: DevicesRepository,
    private readonly statuses: DeviceStatusRepository,
    private readonly writer: IngestWriter,
    private readonly stats: IngestStats,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async commit(batch: readonly ReceivedMessage[]): Promise<void> {
    const started = performance.now();
    const addresses = batch.map((message) => parseTopic(message.topic, this.config.mqtt.topicPrefix));
    const known = await this.lookUp(addresses);
    const prepared: Prepared[] = batch.map((message, i) => {
      const address = addresses[i];
      return address ? prepareMessage(message, address, known.get(deviceLookupKey(address))) : { ok: false, reason: 'not a device topic' };
    });
    const measured = prepared.flatMap((p) => (p.ok ? [p.measurement] : []));
    const outcomes = measured.length > 0 ? await this.writer.write(measured) : [];
    let written = 0;
    const results = prepared.map((p, i) => {
      const rejection = p.ok ? rejectionOf(outcomes[written++]) : p.reason;
      if (rejection !== undefined) this.logger.debug({ msg: 'MQTT message refused', topic: batch[i].topic, reason: rejection });
      return { device: p.device, receivedAt: batch[i].receivedAt, rejection };
    });
    // Counted as soon as stored: whoever sees the measurements sees them counted.
    this.count(results.filter((r) => r.rejection === undefined).length, batch.length, started);
    await this.recordStatus(results.flatMap(({ device, ...result }) => (device ? [{ deviceId: device.id, ...result }] : [])));
  }

  private async lookUp(addresses: readonly (DeviceAddress | undefined)[]): Promise<Map<string, IngestDeviceRecord>> {
    const named = addresses.flatMap((a) => (a?.kind === 'plain' ? [{ organisation: a.organisation, deviceId: a.deviceId }] : []));
    const devEuis = addresses.flatMap((a) => (a?.kind === 'chirpstack' ? [a.devEui] : []));
    const found = await this.devices.findForIngest(named, devEuis);
    const byKey = new Map<string, IngestDeviceRecord>();
    for (const device of found) {
      byKey.set(deviceLookupKey({ kind: 'plain', organisation: device.organisation, deviceId: device.deviceId }), device);
      if (device.chirpstack) byKey.set(deviceLookupKey({ kind: 'chirpstack', ...device.chirpstack }), device);
    }
    return byKey;
  }

  /** Status is bookkeeping: the measurements are stored by now, so a failure here is logged, not retried. */
  private async recordStatus(results: readonly MessageResult[]): Promise<void> {
    try {
      await this.statuses.add(statusDeltas(results));
    } catch (error) {
      this.logger.warn(`Could not update the status of ${results.length} device messages: ${(error as Error).message}`);
    }
  }

  private count(accepted: number, size: number, started: number): void {
    this.stats.accepted += accepted;
    this.stats.rejected += size - accepted;
    this.stats.batches++;
    this.stats.lastBatch = { at: new Date().toISOString(), size, ms: Math.round((performance.now() - started) * 10) / 10 };
  }
}

/** Why the write path refused a measurement (the dataset was retired, the entity belongs elsewhere...). */
function rejectionOf(outcome: MeasurementOutcome): string | undefined {
  return outcome.accepted ? undefined : `not written: ${outcome.reason}`;
}
