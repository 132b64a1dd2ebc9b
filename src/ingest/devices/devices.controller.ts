import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames, parsePaging } from 'src/common/http/query-params';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ORGANISATION } from 'src/config/app-config';
import { ApiGovernanceProblems, ApiJsonBody, ApiJsonResponse } from 'src/governance/governance.openapi';
import { DEVICE_EXAMPLE, DEVICE_SCHEMA } from 'src/ingest/devices/devices.openapi';
import { DevicesService } from 'src/ingest/devices/devices.service';

/** Devices that write over MQTT (DIGG REST profile: kebab-case paths, camelCase JSON, RFC 3339 UTC, problem details). */
@ApiTags('Devices')
@ApiGovernanceProblems()
@Controller('api/v1/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiOperation({ summary: "Register a device (writers of the dataset it writes into); its key is in the answer, once" })
  @ApiJsonBody(DEVICE_SCHEMA, DEVICE_EXAMPLE)
  @ApiJsonResponse(201, 'Registered; Location names it; `key` is shown this once and stored only as a hash')
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const device = await this.devices.create(access, body);
    void reply.status(201).header('location', `/api/v1/devices/${device.id as string}`).header('cache-control', 'no-store');
    return device;
  }

  @Get()
  @ApiOperation({ summary: "The devices of the caller's organisation (any organisation's for platform admins)" })
  @ApiQuery({ name: 'organisation', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiJsonResponse(200, 'A page of devices; X-Total-Count tells how many match')
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
  get(@Access() access: AccessContext, @Param('deviceId') id: string) {
    return this.devices.get(access, id);
  }

  @Patch(':deviceId')
  @ApiOperation({ summary: 'Change a device: any field but organisation; null clears jsonldContext or chirpstack' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiJsonBody({ description: 'Any fields of the device', properties: DEVICE_SCHEMA.properties }, { mapping: DEVICE_EXAMPLE.mapping.slice(0, 1) })
  update(@Access() access: AccessContext, @Param('deviceId') id: string, @Body() body: unknown) {
    return this.devices.update(access, id, body);
  }

  @Delete(':deviceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a device; its messages are refused from then on (the entity and its data stay)' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  async delete(@Access() access: AccessContext, @Param('deviceId') id: string): Promise<void> {
    await this.devices.delete(access, id);
  }

  @Post(':deviceId/key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new key for the device; the old one stops working' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiJsonResponse(200, 'The device with its new `key`, shown this once')
  async rotateKey(@Access() access: AccessContext, @Param('deviceId') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.devices.rotateKey(access, id);
  }

  @Get(':deviceId/status')
  @ApiOperation({ summary: 'What ingestion saw of the device: last seen, accepted and rejected messages, the last error (its organisation only)' })
  @ApiParam({ name: 'deviceId', format: 'uuid' })
  @ApiJsonResponse(200, 'The status', { id: '3f0c...', deviceId: 'askim-brygga', lastSeen: '2026-11-24T10:00:01.120Z', accepted: 1520, rejected: 3, lastError: { at: '2026-11-24T09:12:00.004Z', reason: 'temperature: 85 is above the declared maximum 40' } })
  status(@Access() access: AccessContext, @Param('deviceId') id: string) {
    return this.devices.status(access, id);
  }
}
