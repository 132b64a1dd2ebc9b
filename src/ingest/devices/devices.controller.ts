import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames, parsePaging } from 'src/common/http/query-params';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ORGANISATION } from 'src/config/app-config';
import { ApiGovernanceProblems, ApiJsonBody, ApiPaging } from 'src/governance/governance.openapi';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { ApiAnswer, ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { DevicesService } from 'src/ingest/devices/devices.service';

/** Devices that write over MQTT (DIGG REST profile: kebab-case paths, camelCase JSON, RFC 3339 UTC, problem details). */
@ApiTags('Devices')
@ApiGovernanceProblems()
@Controller('api/v1/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiOperation({ summary: "Register a device (writers of the dataset it writes into); its key is in the answer, once" })
  @ApiJsonBody(schemaRef('NewDevice'))
  @ApiJsonAnswer(201, 'Registered; Location names it; `key` is shown this once and stored only as a hash', schemaRef('IssuedDevice'), { headers: ['Location', 'Cache-Control'] })
  @ApiProblem(409, 'The organisation has a device of this deviceId, or another device has this ChirpStack DevEUI', [PROBLEM_TYPES.ngsiLd('AlreadyExists')])
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const device = await this.devices.create(access, body);
    void reply.status(201).header('location', `/api/v1/devices/${device.id as string}`).header('cache-control', 'no-store');
    return device;
  }

  @Get()
  @ApiOperation({ summary: "The devices of the caller's organisation (any organisation's for platform admins)" })
  @ApiQuery({ name: 'organisation', required: false })
  @ApiPaging()
  @ApiJsonAnswer(200, 'A page of devices; X-Total-Count tells how many match', schemaRef('DeviceList'), { headers: ['X-Total-Count'] })
  async list(@Access() access: AccessContext, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    checkQueryNames(query, ['organisation', 'limit', 'offset']);
    if (query.organisation !== undefined && !ORGANISATION.test(query.organisation as string)) {
      throw new BadRequestData('organisation is an organisation id: lower-case letters, digits and "-"');
    }
    const { devices, total } = await this.devices.list(access, { organisation: query.organisation as string | undefined, ...parsePaging(query) });
    void reply.header('x-total-count', String(total));
    return devices;
  }

  @Get(':deviceId')
  @ApiOperation({ summary: 'One device (members of its organisation)' })
  @ApiParam({ name: 'deviceId', format: 'uuid', description: 'The registry id (not the name in the topic)' })
  @ApiJsonAnswer(200, 'The device', schemaRef('Device'))
  get(@Access() access: AccessContext, @Param('deviceId') id: string) {
    return this.devices.get(access, id);
  }

  @Patch(':deviceId')
  @ApiOperation({ summary: 'Change a device: any field but organisation; null clears jsonldContext or chirpstack' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiJsonBody(schemaRef('DeviceChange'))
  @ApiJsonAnswer(200, 'The device as changed', schemaRef('Device'))
  @ApiProblem(409, 'Another device of the organisation has this deviceId, or another device this DevEUI', [PROBLEM_TYPES.ngsiLd('AlreadyExists')])
  update(@Access() access: AccessContext, @Param('deviceId') id: string, @Body() body: unknown) {
    return this.devices.update(access, id, body);
  }

  @Delete(':deviceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a device; its messages are refused from then on (the entity and its data stay)' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiAnswer(204, 'Deleted')
  async delete(@Access() access: AccessContext, @Param('deviceId') id: string): Promise<void> {
    await this.devices.delete(access, id);
  }

  @Post(':deviceId/key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new key for the device; the old one stops working' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiJsonAnswer(200, 'The device with its new `key`, shown this once', schemaRef('IssuedDevice'), { headers: ['Cache-Control'] })
  async rotateKey(@Access() access: AccessContext, @Param('deviceId') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.devices.rotateKey(access, id);
  }

  @Get(':deviceId/status')
  @ApiOperation({ summary: 'What ingestion saw of the device: last seen, accepted and rejected messages, the last error (its organisation only)' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiJsonAnswer(200, 'The status', schemaRef('DeviceStatus'))
  status(@Access() access: AccessContext, @Param('deviceId') id: string) {
    return this.devices.status(access, id);
  }
}
