import { arrayOf, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { NGSI_LD_URI } from 'src/ngsi-ld/common/ngsi-ld-schemas.openapi';

/** The Subscription data type as this broker takes and shows it (clause 5.2.12), with its NotificationParams (5.2.14) and Endpoint (5.2.15). */

const readOnly = (schema: Record<string, unknown>, description: string) => ({ ...schema, readOnly: true, description });
const dateTime = { type: 'string', format: 'date-time' };
const keyValues = { type: 'array', items: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: { type: 'string' } } } };

export const SUBSCRIPTION_SCHEMAS: SchemaComponents = {
  Endpoint: {
    type: 'object',
    required: ['uri'],
    properties: {
      uri: { type: 'string', description: 'http(s)://... or mqtt(s)://[user:pass@]host[:port]/topic (the password is shown masked); a public address in production' },
      accept: { enum: ['application/json', 'application/ld+json', 'application/geo+json'] },
      timeout: { type: 'integer', minimum: 1, maximum: 600000, description: 'Milliseconds to wait for the endpoint' },
      receiverInfo: { ...keyValues, description: 'Headers sent with each notification (MQTT: metadata); values are shown masked (********), and sent back so they keep the stored value' },
      notifierInfo: { ...keyValues, description: 'MQTT-QoS (0, 1, 2), MQTT-Version (mqtt3.1.1, mqtt5.0)' },
    },
  },
  NotificationParams: {
    type: 'object',
    required: ['endpoint'],
    properties: {
      attributes: { type: 'array', items: { type: 'string' }, description: 'The attributes notified; all when absent' },
      format: { enum: ['normalized', 'keyValues', 'concise'] },
      sysAttrs: { type: 'boolean' },
      showChanges: { type: 'boolean', description: 'previousValue (previousObject...) on updated attributes, when the caller may read the dataset it was written under' },
      endpoint: schemaRef('Endpoint'),
      status: readOnly({ enum: ['ok', 'failed'] }, 'Once a notification was attempted: whether the last one was delivered'),
      timesSent: readOnly({ type: 'integer', minimum: 0 }, 'Notifications attempted'),
      timesFailed: readOnly({ type: 'integer', minimum: 0 }, 'Notifications that failed'),
      lastNotification: readOnly(dateTime, 'When the last notification was attempted'),
      lastSuccess: readOnly(dateTime, 'When the last notification was delivered'),
      lastFailure: readOnly(dateTime, 'When the last notification failed'),
      lastFailureReason: readOnly({ type: 'string' }, "This broker's: why the last notification failed"),
      pendingNotifications: readOnly({ type: 'integer', minimum: 0 }, "This broker's, on retrieval: changes the endpoint has yet to receive"),
    },
  },
  Subscription: {
    type: 'object',
    required: ['type', 'notification'],
    properties: {
      '@context': schemaRef('LdContext'),
      id: { ...NGSI_LD_URI, description: 'Generated (urn:ngsi-ld:Subscription:<uuid>) when absent' },
      type: { const: 'Subscription' },
      subscriptionName: { type: 'string' },
      description: { type: 'string' },
      entities: { type: 'array', items: schemaRef('EntitySelector'), minItems: 1 },
      watchedAttributes: { type: 'array', items: { type: 'string' }, minItems: 1 },
      notificationTrigger: {
        type: 'array',
        items: { enum: ['entityCreated', 'entityUpdated', 'entityDeleted', 'attributeCreated', 'attributeUpdated', 'attributeDeleted'] },
        description: 'Default: attributeCreated, attributeUpdated (an entity created with a watched attribute counts as attributeCreated)',
      },
      timeInterval: {
        type: 'number',
        description: 'Seconds: periodic notifications of the current state (not with watchedAttributes, throttling or notificationTrigger); at least NOTIFICATION_MIN_TIME_INTERVAL_SECONDS (default 5)',
      },
      q: { type: 'string', description: 'The NGSI-LD query language, as the q parameter of /entities' },
      geoQ: schemaRef('GeoQuery'),
      scopeQ: { type: 'string' },
      throttling: {
        type: 'number',
        description: 'Seconds at least between notifications; changes in between are sent together, none dropped; at least NOTIFICATION_MIN_THROTTLING_SECONDS (default 1)',
      },
      expiresAt: dateTime,
      isActive: { type: 'boolean', default: true },
      lang: { type: 'string' },
      jsonldContext: { ...NGSI_LD_URI, description: 'The @context notifications are compacted with' },
      notification: schemaRef('NotificationParams'),
      status: readOnly({ enum: ['active', 'paused', 'expired'] }, 'active, paused (isActive false) or expired'),
      createdAt: readOnly(dateTime, 'With options=sysAttrs'),
      modifiedAt: readOnly(dateTime, 'With options=sysAttrs'),
    },
    example: {
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
    },
  },
  SubscriptionFragment: {
    type: 'object',
    description: 'Members of a subscription to change: given members replace stored ones; notification and endpoint members are merged; null removes a member',
    properties: { '@context': schemaRef('LdContext') },
    additionalProperties: true,
  },
  SubscriptionList: { ...arrayOf('Subscription'), description: 'A page of subscriptions' },
  Notification: {
    type: 'object',
    description: 'What an endpoint receives (clause 5.3.1), in the representation and media type (endpoint.accept) the subscription asks for',
    required: ['id', 'type', 'subscriptionId', 'notifiedAt', 'data'],
    properties: {
      '@context': schemaRef('LdContext'),
      id: NGSI_LD_URI,
      type: { const: 'Notification' },
      subscriptionId: NGSI_LD_URI,
      notifiedAt: dateTime,
      data: { oneOf: [arrayOf('Entity'), schemaRef('FeatureCollection')] },
    },
  },
};
