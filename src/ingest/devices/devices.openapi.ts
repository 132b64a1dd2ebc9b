import { z } from 'zod';
import { arrayOf, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { jsonSchemaOf } from 'src/common/openapi/zod-json-schema';
import { deviceChangeSchema, newDeviceSchema } from 'src/ingest/devices/device.schema';

export const DEVICE_EXAMPLE = {
  deviceId: 'askim-brygga',
  entity: { id: 'urn:ngsi-ld:WaterQualityObserved:askim', type: 'WaterQualityObserved' },
  dataset: '7b0f3a5e-4c41-4a53-9b55-2f0e2d1d6a11',
  jsonldContext: 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
  mapping: [
    { field: 'water.temperature', attribute: 'temperature', type: 'number', unitCode: 'CEL', min: -5, max: 40 },
    { field: 'battery', attribute: 'batteryLevel', type: 'number', scale: 0.01, min: 0, max: 1 },
    { field: 'rxInfo.rssi', attribute: 'rssi', type: 'number', unitCode: '2N' },
  ],
  chirpstack: { applicationId: '9e7b4c1a-2f3d-4c5e-8a6b-7c8d9e0f1a2b', devEui: '0018b20000001234' },
};

/** The device resource as /api/v1/devices shows it (device.mapper.ts): names compacted with its @context, its topics, never its key. */
const deviceViewSchema = newDeviceSchema.extend({
  id: z.uuid().meta({ description: 'The registry id (not the name in the topic)' }),
  href: z.url(),
  organisation: z.string(),
  topics: z.array(z.string()).meta({ description: 'The MQTT topics it publishes on' }),
  keyIssuedAt: z.iso.datetime(),
  created: z.iso.datetime(),
  modified: z.iso.datetime(),
});

/** The schemas are those of device.schema.ts, which validate the requests. */
export const DEVICE_SCHEMAS: SchemaComponents = {
  NewDevice: { ...jsonSchemaOf(newDeviceSchema, 'input'), example: DEVICE_EXAMPLE },
  DeviceChange: { ...jsonSchemaOf(deviceChangeSchema, 'input'), example: { mapping: DEVICE_EXAMPLE.mapping.slice(0, 1) } },
  Device: jsonSchemaOf(deviceViewSchema, 'output'),
  IssuedDevice: {
    ...jsonSchemaOf(deviceViewSchema.extend({ key: z.string().meta({ description: 'The MQTT password of the device' }) }), 'output'),
    description: 'The device with its key: shown in this answer only, stored as a hash',
  },
  DeviceList: arrayOf('Device'),
  DeviceStatus: {
    type: 'object',
    required: ['id', 'deviceId', 'accepted', 'rejected'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string' },
      lastSeen: { type: 'string', format: 'date-time' },
      accepted: { type: 'integer', minimum: 0 },
      rejected: { type: 'integer', minimum: 0 },
      lastError: { type: 'object', required: ['at', 'reason'], properties: { at: { type: 'string', format: 'date-time' }, reason: { type: 'string' } } },
    },
    additionalProperties: false,
    example: { id: '3f0c...', deviceId: 'askim-brygga', lastSeen: '2026-11-24T10:00:01.120Z', accepted: 1520, rejected: 3, lastError: { at: '2026-11-24T09:12:00.004Z', reason: 'temperature: 85 is above the declared maximum 40' } },
  },
};

