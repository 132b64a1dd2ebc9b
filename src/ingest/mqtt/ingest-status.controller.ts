import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { IngestStatus, MqttIngest } from 'src/ingest/mqtt/mqtt-ingest.service';

@ApiTags('Operations')
@WithoutCaller()
@Controller('api/v1/ingest')
export class IngestStatusController {
  constructor(private readonly ingest: MqttIngest) {}

  @Get('status')
  @ApiOperation({ summary: "MQTT ingestion of this replica: connected or not, messages received, accepted and rejected, batches (counts only; no device's data)" })
  @ApiResponse({ status: 200, description: 'The status; enabled is false when MQTT_URL is not set' })
  status(): IngestStatus {
    return this.ingest.status();
  }
}
