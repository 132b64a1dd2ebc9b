/** The device resource for OpenAPI (the zod schema in device.schema.ts is what validates). */
export const DEVICE_SCHEMA: Record<string, unknown> = {
  required: ['deviceId', 'entity', 'dataset', 'mapping'],
  properties: {
    deviceId: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Unique in the organisation; the device publishes on {MQTT_TOPIC_PREFIX}/{organisation}/{deviceId}/attrs' },
    organisation: { type: 'string', description: "The caller's by default" },
    tenant: { type: 'string', description: 'NGSILD-Tenant of the entity; "" (default) is the default tenant' },
    entity: { type: 'object', required: ['id', 'type'], properties: { id: { type: 'string', format: 'uri' }, type: { type: 'string' } } },
    dataset: { type: 'string', format: 'uuid', description: 'An active dataset of the organisation that the caller may write into' },
    jsonldContext: { type: 'string', format: 'uri', description: 'Expands entity.type and the attribute names; the core context when absent' },
    mapping: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'attribute', 'type'],
        properties: {
          field: { type: 'string', description: 'Payload member; a dotted path into nested objects (ChirpStack: into "object"; rxInfo.rssi and rxInfo.snr read the best gateway)' },
          attribute: { type: 'string', description: 'NGSI-LD attribute name' },
          type: { enum: ['number', 'string', 'boolean'] },
          unitCode: { type: 'string', description: 'UN/CEFACT common code, like CEL' },
          scale: { type: 'number', description: 'value * scale + offset (numbers)' },
          offset: { type: 'number' },
          min: { type: 'number', description: 'Declared range, checked after scaling; values outside are refused' },
          max: { type: 'number' },
        },
      },
    },
    chirpstack: {
      type: 'object',
      required: ['applicationId', 'devEui'],
      description: 'For LoRaWAN devices whose uplinks come from ChirpStack v4 on application/{applicationId}/device/{devEui}/event/up',
      properties: { applicationId: { type: 'string' }, devEui: { type: 'string', pattern: '^[0-9A-Fa-f]{16}$' } },
    },
  },
};

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
