/*
 * The topics devices publish on, and the ones the service subscribes to:
 *
 *   {prefix}/{organisation}/{deviceId}/attrs                         plain JSON key-value
 *   application/{applicationId}/device/{devEui}/event/up             ChirpStack v4 uplink events
 *
 * The topic names a device; it does not prove who published (see the device key).
 */

/** Which registered device a message is addressed to, as its topic says. */
export type DeviceAddress =
  | { readonly kind: 'plain'; readonly organisation: string; readonly deviceId: string }
  | { readonly kind: 'chirpstack'; readonly applicationId: string; readonly devEui: string };

export function plainTopicFilter(prefix: string): string {
  return `${prefix}/+/+/attrs`;
}

export const CHIRPSTACK_TOPIC_FILTER = 'application/+/device/+/event/up';

/** The topic a registered device publishes its plain JSON on. */
export function plainTopic(prefix: string, organisation: string, deviceId: string): string {
  return `${prefix}/${organisation}/${deviceId}/attrs`;
}

export function chirpstackTopic(applicationId: string, devEui: string): string {
  return `application/${applicationId}/device/${devEui}/event/up`;
}

/**
 * The topic filters to subscribe to; with a `shareGroup`, as shared subscriptions
 * (`$share/{group}/...`), so that the broker hands each message to one member of the group.
 */
export function subscriptionFilters(prefix: string, chirpstack: boolean, shareGroup?: string): string[] {
  const filters = [plainTopicFilter(prefix), ...(chirpstack ? [CHIRPSTACK_TOPIC_FILTER] : [])];
  return shareGroup === undefined ? filters : filters.map((filter) => `$share/${shareGroup}/${filter}`);
}

/** The device a topic addresses, or undefined for a topic that is not one of ours. */
export function parseTopic(topic: string, prefix: string): DeviceAddress | undefined {
  if (topic.startsWith(`${prefix}/`)) {
    const levels = topic.slice(prefix.length + 1).split('/');
    if (levels.length === 3 && levels[2] === 'attrs' && levels[0] !== '' && levels[1] !== '') {
      return { kind: 'plain', organisation: levels[0], deviceId: levels[1] };
    }
  }
  const levels = topic.split('/');
  if (levels.length === 6 && levels[0] === 'application' && levels[2] === 'device' && levels[4] === 'event' && levels[5] === 'up') {
    if (levels[1] !== '' && levels[3] !== '') return { kind: 'chirpstack', applicationId: levels[1], devEui: levels[3].toLowerCase() };
  }
  return undefined;
}
