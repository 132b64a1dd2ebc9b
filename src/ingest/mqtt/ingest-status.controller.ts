import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { IngestStatus, MqttIngest } from 'src/ingest/mqtt/mqtt-ingest.service';

@ApiTags('Operations')
@WithoutCaller()
@Controller('api/v1/ingest')
export class IngestStatusController {
  constructor(private readonly ingest: MqttIngest) {}

  @Get('status')
  @ApiOperation({ summary: "MQTT ingestion of this replica: connected or not, messages received, accepted and rejected, batches (counts only; no device's data)" })
  @ApiJsonAnswer(200, 'The status; enabled is false when MQTT_URL is not set', schemaRef('IngestStatus'))
  status(): IngestStatus {
    return this.ingest.status();
  }
}
