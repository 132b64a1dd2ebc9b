/** OpenAPI description of the Subscription data type as this broker takes it (clause 5.2.12). */
export const SUBSCRIPTION_SCHEMA = {
  type: 'object',
  required: ['type', 'notification'],
  properties: {
    id: { type: 'string', format: 'uri', description: 'Generated (urn:ngsi-ld:Subscription:<uuid>) when absent' },
    type: { type: 'string', enum: ['Subscription'] },
    subscriptionName: { type: 'string' },
    description: { type: 'string' },
    entities: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, idPattern: { type: 'string' }, type: { type: 'string', description: 'A type or a type expression (A,B or A;B)' } } },
    },
    watchedAttributes: { type: 'array', items: { type: 'string' } },
    notificationTrigger: {
      type: 'array',
      items: { type: 'string', enum: ['entityCreated', 'entityUpdated', 'entityDeleted', 'attributeCreated', 'attributeUpdated', 'attributeDeleted'] },
      description: 'Default: attributeCreated, attributeUpdated (an entity created with a watched attribute counts as attributeCreated)',
    },
    timeInterval: {
      type: 'number',
      description: 'Seconds: periodic notifications of the current state (not with watchedAttributes, throttling or notificationTrigger); at least NOTIFICATION_MIN_TIME_INTERVAL_SECONDS (default 5)',
    },
    q: { type: 'string' },
    geoQ: { type: 'object', properties: { geometry: { type: 'string' }, coordinates: {}, georel: { type: 'string' }, geoproperty: { type: 'string' } } },
    scopeQ: { type: 'string' },
    throttling: {
      type: 'number',
      description: 'Seconds at least between notifications; changes in between are sent together, none dropped; at least NOTIFICATION_MIN_THROTTLING_SECONDS (default 1)',
    },
    expiresAt: { type: 'string', format: 'date-time' },
    isActive: { type: 'boolean', default: true },
    lang: { type: 'string' },
    jsonldContext: { type: 'string', format: 'uri', description: 'The @context notifications are compacted with' },
    notification: {
      type: 'object',
      required: ['endpoint'],
      properties: {
        attributes: { type: 'array', items: { type: 'string' } },
        format: { type: 'string', enum: ['normalized', 'keyValues', 'concise'] },
        sysAttrs: { type: 'boolean' },
        showChanges: { type: 'boolean', description: 'previousValue (previousObject...) on updated attributes' },
        endpoint: {
          type: 'object',
          required: ['uri'],
          properties: {
            uri: { type: 'string', description: 'http(s)://... or mqtt(s)://[user:pass@]host[:port]/topic (the password is shown masked); a public address in production' },
            accept: { type: 'string', enum: ['application/json', 'application/ld+json', 'application/geo+json'] },
            timeout: { type: 'integer', description: 'Milliseconds to wait for the endpoint' },
            receiverInfo: {
              type: 'array',
              description: 'Headers sent with each notification; values are shown masked (********), and sent back so they keep the stored value',
              items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } } },
            },
            notifierInfo: { type: 'array', description: 'MQTT-QoS (0, 1, 2), MQTT-Version (mqtt3.1.1, mqtt5.0)', items: { type: 'object' } },
          },
        },
      },
    },
  },
};

export const SUBSCRIPTION_EXAMPLE = {
  type: 'Subscription',
  subscriptionName: 'Bathing water temperatures for the harbour twin',
  entities: [{ type: 'WaterQualityObserved' }],
  watchedAttributes: ['temperature'],
  q: 'temperature>0',
  notification: {
    format: 'keyValues',
    attributes: ['temperature', 'location'],
    endpoint: { uri: 'https://twin.example.org/ngsi-ld/notify', accept: 'application/json', receiverInfo: [{ key: 'Authorization', value: 'Bearer <token>' }] },
  },
  '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld',
};
