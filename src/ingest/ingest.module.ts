import { Module } from '@nestjs/common';
import { GovernanceModule } from 'src/governance/governance.module';
import { DeviceNames } from 'src/ingest/devices/device-names.service';
import { DeviceStatusRepository } from 'src/ingest/devices/device-status.repository';
import { DevicesController } from 'src/ingest/devices/devices.controller';
import { DevicesRepository } from 'src/ingest/devices/devices.repository';
import { DevicesService } from 'src/ingest/devices/devices.service';
import { IngestPipeline } from 'src/ingest/ingest-pipeline';
import { IngestStats } from 'src/ingest/ingest-stats';
import { IngestWriter } from 'src/ingest/ingest-writer';
import { IngestStatusController } from 'src/ingest/mqtt/ingest-status.controller';
import { MqttIngest } from 'src/ingest/mqtt/mqtt-ingest.service';
import { NgsiLdModule } from 'src/ngsi-ld/ngsi-ld.module';

/** The device registry and MQTT ingestion: device payloads mapped into NGSI-LD writes. */
@Module({
  imports: [GovernanceModule, NgsiLdModule],
  controllers: [DevicesController, IngestStatusController],
  providers: [DevicesRepository, DeviceStatusRepository, DeviceNames, DevicesService, IngestWriter, IngestStats, IngestPipeline, MqttIngest],
})
export class IngestModule {}
