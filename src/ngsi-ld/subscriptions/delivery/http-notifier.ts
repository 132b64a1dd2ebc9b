import http from 'node:http';
import https from 'node:https';
import { assertPublicHost, publicOnlyLookup } from 'src/ngsi-ld/subscriptions/delivery/endpoint-guard';

/** Why a notification was not delivered: shown to the subscriber as lastFailure's reason. */
export class DeliveryFailed extends Error {}

/**
 * POSTs notifications over HTTP(S) with kept-alive connections. Success is a 2xx answer within
 * the timeout; anything else is a failure, retried by the caller.
 */
export class HttpNotifier {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly allowPrivate: boolean) {
    const lookup = allowPrivate ? undefined : publicOnlyLookup;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16, lookup });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, lookup });
  }

  post(uri: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<void> {
    const url = new URL(uri);
    if (!this.allowPrivate) assertPublicHost(url.hostname);
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new DeliveryFailed(`The endpoint answered ${status}`));
          });
          response.on('error', (error) => reject(new DeliveryFailed(`The answer broke off: ${error.message}`)));
        },
      );
      request.on('timeout', () => request.destroy(new DeliveryFailed(`No answer within ${timeoutMs} ms`)));
      request.on('error', (error) => reject(error instanceof DeliveryFailed ? error : new DeliveryFailed(`Could not deliver: ${error.message}`)));
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
