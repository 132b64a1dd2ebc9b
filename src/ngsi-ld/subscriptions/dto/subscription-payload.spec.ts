import { InvalidRequest, OperationNotSupported } from 'src/common/problem/ngsi-ld-errors';
import { ENDPOINT, MINIMAL, parse, refused, withEndpoint, withMember } from 'src/ngsi-ld/subscriptions/testing/payload-fixtures';

describe('parseSubscription', () => {
  it('takes the minimal subscription, giving it an id and making it active', () => {
    const s = parse(MINIMAL);
    expect(s).toEqual({ ...MINIMAL, id: expect.stringMatching(/^urn:ngsi-ld:Subscription:[0-9a-f-]{36}$/), isActive: true });
    expect(parse(MINIMAL).id).not.toBe(s.id);
  });

  it('keeps an id the caller chose', () => {
    expect(parse({ ...MINIMAL, id: 'urn:ngsi-ld:Subscription:weather-1' }).id).toBe('urn:ngsi-ld:Subscription:weather-1');
  });

  it('takes every member, names as written', () => {
    const body = {
      id: 'urn:ngsi-ld:Subscription:all',
      type: 'Subscription',
      subscriptionName: 'Hot beaches',
      description: 'Beaches above 20 °C in Gothenburg',
      entities: [{ type: 'Beach' }, { id: 'urn:ngsi-ld:Beach:askim' }, { idPattern: '^urn:ngsi-ld:Beach:.*', type: 'Beach|Lake' }],
      watchedAttributes: ['temperature', 'name'],
      notificationTrigger: ['entityCreated', 'attributeUpdated'],
      q: 'temperature>20;name~="bad"',
      geoQ: { geometry: 'Point', coordinates: [11.97, 57.71], georel: 'near;maxDistance==2000', geoproperty: 'location' },
      scopeQ: '/Gothenburg/#',
      throttling: 5,
      expiresAt: '2027-01-01T00:00:00Z',
      isActive: false,
      lang: 'sv,en-GB',
      jsonldContext: 'https://contexts.test/weather.jsonld',
      notification: {
        attributes: ['temperature'],
        format: 'concise',
        sysAttrs: true,
        showChanges: true,
        endpoint: {
          uri: 'mqtt://broker.vgregion.test:1883/beaches/notify',
          accept: 'application/ld+json',
          timeout: 5000,
          receiverInfo: [{ key: 'X-Token', value: 'abc' }],
          notifierInfo: [{ key: 'MQTT-QoS', value: '1' }, { key: 'MQTT-Version', value: 'mqtt5.0' }],
        },
      },
    };
    expect(parse(body)).toEqual(body);
  });

  it('ignores the broker’s own members a client sends back with a retrieved subscription', () => {
    const s = parse({
      ...MINIMAL,
      '@context': 'https://contexts.test/weather.jsonld',
      status: 'active',
      createdAt: '2026-01-01T00:00:00Z',
      modifiedAt: '2026-01-02T00:00:00Z',
      notification: { endpoint: ENDPOINT, status: 'ok', timesSent: 3, timesFailed: 1, lastNotification: 'x', lastSuccess: 'x', lastFailure: 'x' },
    });
    expect(s).toEqual({ id: s.id, type: 'Subscription', entities: MINIMAL.entities, isActive: true, notification: { endpoint: ENDPOINT } });
  });

  it('drops repeated triggers and watched attributes', () => {
    const s = withMember({ watchedAttributes: ['a', 'b', 'a'], notificationTrigger: ['entityDeleted', 'entityDeleted'] });
    expect(s.watchedAttributes).toEqual(['a', 'b']);
    expect(s.notificationTrigger).toEqual(['entityDeleted']);
  });

  it('takes watchedAttributes without entities', () => {
    const s = parse({ type: 'Subscription', watchedAttributes: ['temperature'], notification: { endpoint: ENDPOINT } });
    expect(s.entities).toBeUndefined();
    expect(s.watchedAttributes).toEqual(['temperature']);
  });

  it('takes throttling and timeInterval down to the broker’s bounds', () => {
    expect(withMember({ throttling: 1 }).throttling).toBe(1);
    expect(withMember({ timeInterval: 5 }).timeInterval).toBe(5);
  });

  it('takes a periodic subscription (timeInterval with entities)', () => {
    expect(withMember({ timeInterval: 60 }).timeInterval).toBe(60);
  });

  it('reads geoQ coordinates given as a JSON string', () => {
    const s = withMember({ geoQ: { geometry: 'Point', coordinates: '[11.97,57.71]', georel: 'near;maxDistance==100' } });
    expect(s.geoQ).toEqual({ geometry: 'Point', coordinates: [11.97, 57.71], georel: 'near;maxDistance==100' });
  });

  it.each(['sv', 'en-GB', '*', 'sv,en', 'sv,*'])('takes lang=%s', (lang) => {
    expect(withMember({ lang }).lang).toBe(lang);
  });

  it.each(['application/json', 'application/ld+json', 'application/geo+json'])('takes endpoint.accept %s', (accept) => {
    expect(withEndpoint({ accept }).notification.endpoint.accept).toBe(accept);
  });

  it.each(['http://r.test/n', 'https://r.test/n', 'mqtt://r.test/topic', 'mqtts://r.test:8883/a/b'])('takes endpoint %s', (uri) => {
    expect(withEndpoint({ uri }).notification.endpoint.uri).toBe(uri);
  });

  it.each([1, 600_000])('takes endpoint.timeout %d', (timeout) => {
    expect(withEndpoint({ timeout }).notification.endpoint.timeout).toBe(timeout);
  });

  describe('refuses', () => {
    it.each<[string, unknown]>([
      ['a string', 'Subscription'],
      ['an array', [MINIMAL]],
      ['null', null],
    ])('%s as an invalid request', (_what, body) => {
      refused(() => parse(body), /JSON object/, InvalidRequest);
    });

    it.each<[string, unknown, RegExp]>([
      ['showChanges with keyValues', { ...MINIMAL, notification: { ...MINIMAL.notification, format: 'keyValues', showChanges: true } }, /showChanges needs the normalized or concise format/],
      ['no type', { ...MINIMAL, type: undefined }, /"type": "Subscription"/],
      ['another type', { ...MINIMAL, type: 'Entity' }, /"type": "Subscription"/],
      ['an id that is no URI', { ...MINIMAL, id: 'weather 1' }, /id must be a URI/],
      ['a number as id', { ...MINIMAL, id: 7 }, /id must be a URI/],
      ['an unknown member', { ...MINIMAL, colour: 'blue' }, /Unknown subscription member "colour"/],
      ['neither entities nor watchedAttributes', { type: 'Subscription', notification: { endpoint: ENDPOINT } }, /entities or watchedAttributes/],
    ])('%s', (_what, body, detail) => {
      refused(() => parse(body), detail);
    });

    it.each(['csf', 'temporalQ', 'datasetId'])('%s as not supported (422)', (member) => {
      refused(() => withMember({ [member]: 'x' }), new RegExp(`Subscriptions with ${member}`), OperationNotSupported);
    });

    it.each<[string, unknown, RegExp]>([
      ['not an array', { type: 'Beach' }, /non-empty array of entity selectors/],
      ['empty', [], /non-empty array of entity selectors/],
      ['a selector that is no object', ['Beach'], /object with id, idPattern and\/or type/],
      ['an empty selector', [{}], /needs id, idPattern or type/],
      ['an unknown selector member', [{ type: 'Beach', q: 'a' }], /Unknown entity selector member "q"/],
      ['an id that is no URI', [{ id: 'askim' }], /entities\[\]\.id must be a URI/],
      ['an empty type', [{ type: '' }], /entities\[\]\.type must be a non-empty string/],
      ['a bad type expression', [{ type: '(Beach;Lake' }], /Invalid type/],
      ['an idPattern that does not compile', [{ idPattern: '(' }], /idPattern is not a valid regular expression/],
      ['a number as idPattern', [{ idPattern: 5 }], /idPattern must be a non-empty string/],
    ])('entities: %s', (_what, entities, detail) => {
      refused(() => withMember({ entities }), detail);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['watchedAttributes empty', { watchedAttributes: [] }, /watchedAttributes must be a non-empty array/],
      ['watchedAttributes with an empty name', { watchedAttributes: ['a', ''] }, /watchedAttributes must be a non-empty array/],
      ['watchedAttributes as a string', { watchedAttributes: 'a' }, /watchedAttributes must be a non-empty array/],
      ['notificationTrigger empty', { notificationTrigger: [] }, /notificationTrigger must be a non-empty array/],
      ['notificationTrigger as a string', { notificationTrigger: 'entityCreated' }, /notificationTrigger must be a non-empty array/],
      ['an unknown trigger', { notificationTrigger: ['entityChanged'] }, /Unknown notificationTrigger "entityChanged"/],
      ['timeInterval of 0', { timeInterval: 0 }, /timeInterval is a number of seconds above 0/],
      ['a negative timeInterval', { timeInterval: -5 }, /timeInterval is a number of seconds/],
      ['a timeInterval above a year', { timeInterval: 365 * 24 * 3600 + 1 }, /at most a year/],
      ['timeInterval as a string', { timeInterval: '60' }, /timeInterval is a number/],
      ['throttling of 0', { throttling: 0 }, /throttling is a number of seconds above 0/],
      ['throttling below the broker’s bound', { throttling: 0.001 }, /throttling must be at least 1 seconds on this broker, not 0.001/],
      ['timeInterval below the broker’s bound', { timeInterval: 4.9 }, /timeInterval must be at least 5 seconds on this broker, not 4.9/],
      ['infinite throttling', { throttling: Infinity }, /throttling is a number/],
      ['timeInterval with watchedAttributes', { timeInterval: 60, watchedAttributes: ['a'] }, /timeInterval and watchedAttributes/],
      ['timeInterval with throttling', { timeInterval: 60, throttling: 5 }, /timeInterval and throttling/],
      ['timeInterval with notificationTrigger', { timeInterval: 60, notificationTrigger: ['entityCreated'] }, /timeInterval and notificationTrigger/],
      ['expiresAt without a time zone', { expiresAt: '2027-01-01T00:00:00' }, /expiresAt must be a date-time with a time zone/],
      ['expiresAt on 30 February', { expiresAt: '2027-02-30T00:00:00Z' }, /expiresAt must be a date-time/],
      ['expiresAt as a number', { expiresAt: 1_800_000_000 }, /expiresAt must be a non-empty string/],
      ['expiresAt in the past', { expiresAt: '2026-11-20T09:59:59Z' }, /expiresAt lies in the past/],
      ['expiresAt now', { expiresAt: '2026-11-20T10:00:00Z' }, /expiresAt lies in the past/],
      ['isActive as a string', { isActive: 'true' }, /isActive must be true or false/],
      ['a q that does not parse', { q: 'temperature>' }, /Invalid q/],
      ['an empty q', { q: '' }, /q must be a non-empty string/],
      ['a scopeQ that does not parse', { scopeQ: 'Gothenburg' }, /Invalid scopeQ/],
      ['geoQ as a string', { geoQ: 'near' }, /geoQ must be an object/],
      ['an unknown geoQ member', { geoQ: { geometry: 'Point', coordinates: [1, 2], georel: 'within', radius: 1 } }, /Unknown geoQ member "radius"/],
      ['an incomplete geoQ', { geoQ: { geometry: 'Point', georel: 'within' } }, /all three/],
      ['a geoQ with a bad georel', { geoQ: { geometry: 'Point', coordinates: [1, 2], georel: 'near' } }, /georel must be/],
      ['jsonldContext that is no URI', { jsonldContext: 'weather.jsonld' }, /jsonldContext must be the URI/],
      ['a lang that is no tag', { lang: 'not a tag' }, /lang must be a language tag/],
      ['a lang list with an empty tag', { lang: 'sv,' }, /lang must be a language tag/],
      ['an empty subscriptionName', { subscriptionName: '' }, /subscriptionName must be a non-empty string/],
      ['a description that is no string', { description: ['a'] }, /description must be a non-empty string/],
    ])('%s', (_what, members, detail) => {
      refused(() => withMember(members), detail);
    });

    // Known defect: decodeURIComponent throws URIError on a malformed escape in an MQTT topic, which
    // the problem filter turns into 500 InternalError instead of 400. Make this `it` once fixed.
    it.each(['mqtt://broker.test/a%zz', 'mqtt://broker.test/%E0%A4%A'])('an MQTT topic with a malformed escape (%s) as bad request data', (uri) => {
      refused(() => withEndpoint({ uri }), /topic|URI|URL/);
    });

    it('a periodic subscription without entities', () => {
      refused(() => parse({ type: 'Subscription', timeInterval: 60, notification: { endpoint: ENDPOINT } }), /periodic subscription \(timeInterval\) needs entities/);
    });

    it.each<[string, unknown, RegExp]>([
      ['missing', undefined, /needs notification, an object with an endpoint/],
      ['an array', [ENDPOINT], /needs notification, an object with an endpoint/],
      ['without endpoint', {}, /notification\.endpoint must be an object with a uri/],
      ['with an unknown member', { endpoint: ENDPOINT, colour: 'red' }, /Unknown notification member "colour"/],
      ['with an unknown format', { endpoint: ENDPOINT, format: 'simplified' }, /notification\.format must be normalized, keyValues or concise/],
      ['with sysAttrs as a string', { endpoint: ENDPOINT, sysAttrs: 'true' }, /notification\.sysAttrs must be true or false/],
      ['with showChanges as a number', { endpoint: ENDPOINT, showChanges: 1 }, /notification\.showChanges must be true or false/],
      ['with empty attributes', { endpoint: ENDPOINT, attributes: [] }, /notification\.attributes must be a non-empty array/],
    ])('notification %s', (_what, notification, detail) => {
      refused(() => withMember({ notification }), detail);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['an ftp uri', { uri: 'ftp://r.test/n' }, /http\(s\):\/\/ or mqtt\(s\):\/\/ URI/],
      ['a relative uri', { uri: '/notify' }, /http\(s\):\/\/ or mqtt\(s\):\/\/ URI/],
      ['no uri', { uri: undefined }, /http\(s\):\/\/ or mqtt\(s\):\/\/ URI/],
      ['an http uri that URL cannot read', { uri: 'http://[::1/notify' }, /not a valid URL/],
      ['an MQTT uri without topic', { uri: 'mqtt://broker.test' }, /MQTT endpoint names its topic/],
      ['an MQTT uri with a bare slash', { uri: 'mqtt://broker.test/' }, /MQTT endpoint names its topic/],
      ['an MQTT topic with +', { uri: 'mqtt://broker.test/a/+/b' }, /cannot hold wildcards/],
      ['an MQTT topic with an encoded #', { uri: 'mqtt://broker.test/a/%23' }, /cannot hold wildcards/],
      ['an unknown member', { method: 'PUT' }, /Unknown endpoint member "method"/],
      ['an unknown accept', { accept: 'text/plain' }, /endpoint\.accept must be one of/],
      ['timeout 0', { timeout: 0 }, /endpoint\.timeout is milliseconds, 1 to 600000/],
      ['timeout above ten minutes', { timeout: 600_001 }, /endpoint\.timeout is milliseconds/],
      ['a fractional timeout', { timeout: 1.5 }, /endpoint\.timeout is milliseconds/],
      ['timeout as a string', { timeout: '100' }, /endpoint\.timeout is milliseconds/],
      ['receiverInfo as an object', { receiverInfo: { key: 'a', value: 'b' } }, /receiverInfo must be an array of \{key, value\}/],
      ['receiverInfo with a number', { receiverInfo: [{ key: 'a', value: 1 }] }, /with string members/],
      ['receiverInfo with another member', { receiverInfo: [{ key: 'a', value: 'b', c: 'd' }] }, /with string members/],
      ['receiverInfo with a line break', { receiverInfo: [{ key: 'X-A', value: 'b\r\nHost: evil' }] }, /cannot hold line breaks/],
      ['receiverInfo with a reserved header', { receiverInfo: [{ key: 'Content-Type', value: 'text/plain' }] }, /receiverInfo key "Content-Type" cannot be sent as a header/],
      ['receiverInfo with NGSILD-Tenant', { receiverInfo: [{ key: 'NGSILD-Tenant', value: 'other' }] }, /cannot be sent as a header/],
      ['receiverInfo with a bad header name', { receiverInfo: [{ key: 'X Token', value: 'a' }] }, /receiverInfo key "X Token"/],
      ['notifierInfo with an unknown key', { uri: 'mqtt://b.test/t', notifierInfo: [{ key: 'MQTT-Retain', value: 'true' }] }, /Unknown notifierInfo key "MQTT-Retain"/],
      ['notifierInfo on an HTTP endpoint', { notifierInfo: [{ key: 'MQTT-QoS', value: '1' }] }, /notifierInfo MQTT-QoS is for MQTT endpoints/],
      ['an unknown QoS', { uri: 'mqtt://b.test/t', notifierInfo: [{ key: 'MQTT-QoS', value: '3' }] }, /MQTT-QoS must be one of 0, 1, 2/],
      ['an unknown MQTT version', { uri: 'mqtt://b.test/t', notifierInfo: [{ key: 'MQTT-Version', value: 'mqtt3.1' }] }, /MQTT-Version must be one of/],
      // A retrieved subscription shows its secrets masked: copied into a new one, the mask is no secret.
      ['a masked receiverInfo value', { receiverInfo: [{ key: 'Authorization', value: '********' }] }, /receiverInfo "Authorization" holds the mask/],
      ['a masked broker password', { uri: 'mqtt://twin:********@b.test/t' }, /password in notification\.endpoint\.uri is the mask/],
    ])('endpoint with %s', (_what, members, detail) => {
      refused(() => withEndpoint(members), detail);
    });
  });
});

