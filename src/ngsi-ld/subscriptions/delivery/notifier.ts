import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { HttpNotifier } from 'src/ngsi-ld/subscriptions/delivery/http-notifier';
import { MqttNotifier } from 'src/ngsi-ld/subscriptions/delivery/mqtt-notifier';
import { RenderedNotification } from 'src/ngsi-ld/subscriptions/delivery/notification-renderer';

/**
 * Sends a rendered notification to a subscription's endpoint: HTTP(S) POST (clause 7.2 binding:
 * receiverInfo as headers, NGSILD-Tenant for other tenants) or an MQTT publication whose payload
 * holds `metadata` (the same headers) and `body` (the notification).
 */
@Injectable()
export class Notifier implements OnApplicationShutdown {
  private readonly http: HttpNotifier;
  private readonly mqtt: MqttNotifier;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.http = new HttpNotifier(config.notifications.allowPrivateEndpoints);
    this.mqtt = new MqttNotifier(config.notifications.allowPrivateEndpoints);
  }

  async send(subscription: CompiledSubscription, notification: RenderedNotification): Promise<void> {
    const { endpoint } = subscription.definition.notification;
    const headers: Record<string, string> = { 'content-type': notification.contentType, ...notification.headers };
    if (subscription.tenant !== '') headers['ngsild-tenant'] = subscription.tenant;
    for (const { key, value } of endpoint.receiverInfo ?? []) headers[key.toLowerCase()] = value;
    const timeoutMs = endpoint.timeout ?? this.config.notifications.timeoutMs;
    if (endpoint.uri.startsWith('mqtt')) {
      const info = new Map((endpoint.notifierInfo ?? []).map(({ key, value }) => [key, value]));
      const payload = JSON.stringify({ metadata: headers, body: notification.body });
      await this.mqtt.publish(endpoint.uri, payload, {
        qos: Number(info.get('MQTT-QoS') ?? '0') as 0 | 1 | 2,
        version: info.get('MQTT-Version') === 'mqtt3.1.1' ? 4 : 5,
        timeoutMs,
      });
      return;
    }
    await this.http.post(endpoint.uri, headers, JSON.stringify(notification.body), timeoutMs);
  }

  onApplicationShutdown(): void {
    this.http.close();
    this.mqtt.close();
  }
}
