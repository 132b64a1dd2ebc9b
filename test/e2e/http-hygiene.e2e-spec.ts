import { request as httpRequest } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/* Inputs that once reached PostgreSQL or Fastify's own error pages: each must be a clear 4xx problem, writing nothing. */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
let t: TestApp;
let base: string;
const json = { 'content-type': 'application/json' };
const post = (body: string, headers: Record<string, string> = json) => request(t.http).post('/ngsi-ld/v1/entities').set(headers).send(body);

function expectProblem(res: request.Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(typeof res.body.type).toBe('string');
  expect(res.body.status).toBe(status);
}

/** A JSON body sent byte for byte, not serialised by the client. */
const bytes = (req: request.Test, body: Buffer) => req.set(json).serialize((b) => b as string).send(body as unknown as object);

/** Sends bytes as they are, where an HTTP client library would refuse to; pieces a few milliseconds apart. */
function raw(text: string | string[]): Promise<{ status: number; contentType?: string; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const pieces = [text].flat();
    const socket = connect({ host: hostname, port: Number(port) }, async () => {
      for (const piece of pieces) {
        if (!socket.writable) break;
        socket.write(piece);
        if (pieces.length > 1) await new Promise((r) => setTimeout(r, 20));
      }
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1], head, body: rest.join('\r\n\r\n') });
    });
    socket.on('error', reject);
  });
}

/** A request with Node's own HTTP client, which parses answers strictly. */
function nodeRequest(method: string, path: string): Promise<{ status?: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  t = await startTestApp();
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
});

describe('characters PostgreSQL cannot store', () => {
  it.each([
    ['a NUL in the id', '{"id":"urn:x:a\\u0000b","type":"T"}'],
    ['a NUL in a value', '{"id":"urn:x:nul","type":"T","a":{"type":"Property","value":"x\\u0000"}}'],
    ['a NUL in a key', '{"id":"urn:x:nul","type":"T","a\\u0000":1}'],
    ['a lone surrogate in the id', '{"id":"urn:x:\\ud800","type":"T"}'],
    ['a lone surrogate in a value', '{"id":"urn:x:sur","type":"T","a":"\\udc00"}'],
  ])('refuses %s with 400 and writes nothing', async (_what, body) => {
    const res = await post(body);
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/NUL|well-formed Unicode/);
    const all = await request(t.http).get('/ngsi-ld/v1/entities?type=T').expect(200);
    expect(all.body).toEqual([]);
  });

  it.each([
    '/ngsi-ld/v1/entities/urn:x:a%00b',
    '/ngsi-ld/v1/entities?idPattern=a%00',
    '/ngsi-ld/v1/entities?type=T%00',
    '/ngsi-ld/v1/entities?q=a==%22%00%22',
  ])('refuses %s with 400', async (path) => {
    expectProblem(await request(t.http).get(path), 400);
  });

  it('keeps well-formed non-ASCII text', async () => {
    await post(JSON.stringify({ id: 'urn:ngsi-ld:Badplats:Åsa-🏖', type: 'Badplats', namn: 'Åsa strand' })).expect(201);
    const res = await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent('urn:ngsi-ld:Badplats:Åsa-🏖')}?options=keyValues`).expect(200);
    expect(res.body.namn).toBe('Åsa strand');
  });
});

describe('JSON that would lose data', () => {
  it.each([
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('{"id":"urn:x:utf","type":"T","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), /not valid UTF-8/],
    ['a number too large for a double', Buffer.from('{"id":"urn:x:utf","type":"T","level":{"type":"Property","value":1e309}}'), /number too large/],
    ['a member name given twice', Buffer.from('{"id":"urn:x:utf","type":"T","id":"urn:x:other"}'), /member name "id" twice/],
    ['an attribute given twice', Buffer.from('{"id":"urn:x:utf","type":"T","a":{"type":"Property","value":1},"a":{"type":"Property","value":2}}'), /member name "a" twice/],
  ])('refuses %s with 400 and stores nothing', async (_what, body, detail) => {
    const res = await bytes(request(t.http).post('/ngsi-ld/v1/entities'), body);
    expectProblem(res, 400);
    expect(res.body.type).toBe(`${ERRORS}InvalidRequest`);
    expect(res.body.detail).toMatch(detail);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:x:utf').expect(404);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:x:other').expect(404);
  });

  it('refuses them in updates too, leaving the entity as it was', async () => {
    await post(JSON.stringify({ id: 'urn:x:kept', type: 'T', level: 1 })).expect(201);
    const res = await bytes(request(t.http).patch('/ngsi-ld/v1/entities/urn:x:kept/attrs'), Buffer.from('{"level":{"type":"Property","value":-1e400}}'));
    expectProblem(res, 400);
    expect((await request(t.http).get('/ngsi-ld/v1/entities/urn:x:kept?options=keyValues').expect(200)).body.level).toBe(1);
  });
});

describe('requests without a body', () => {
  it('deletes an entity, an attribute and a subscription when a Content-Type comes without a body', async () => {
    await post(JSON.stringify({ id: 'urn:x:bodiless', type: 'T', a: 1, b: 2 })).expect(201);
    await request(t.http).delete('/ngsi-ld/v1/entities/urn:x:bodiless/attrs/a').set(json).expect(204);
    await request(t.http).delete('/ngsi-ld/v1/entities/urn:x:bodiless').set({ 'content-type': 'application/ld+json' }).expect(204);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:x:bodiless').expect(404);
    const subscription = { type: 'Subscription', entities: [{ type: 'T' }], notification: { endpoint: { uri: 'http://127.0.0.1:9/notify' } } };
    const created = await request(t.http).post('/ngsi-ld/v1/subscriptions').set(json).send(JSON.stringify(subscription)).expect(201);
    await request(t.http).delete(created.headers.location).set(json).expect(204);
  });

  it('still refuses a write without a body', async () => {
    const res = await request(t.http).patch('/ngsi-ld/v1/entities/urn:x:kept/attrs').set(json);
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/empty/);
  });
});

describe('long ids', () => {
  it('reads and deletes entities with ids of up to 2048 characters', async () => {
    const id = `urn:ngsi-ld:Sensor:${'x'.repeat(2000)}`;
    await post(JSON.stringify({ id, type: 'Sensor' })).expect(201);
    await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}`).expect(200);
    await request(t.http).delete(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}`).expect(204);
  });

  it('refuses longer ids without echoing them', async () => {
    const res = await post(JSON.stringify({ id: `urn:x:${'y'.repeat(5000)}`, type: 'T' }));
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/longer than 2048/);
    expect(res.body.detail.length).toBeLessThan(200);
  });
});

describe('long names, each at its limit together', () => {
  // Random characters: repeated ones would be compressed and hide what an index entry must hold.
  const random = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');
  const longest = () => ({ tenant: random(100), id: `urn:ngsi-ld:T:${random(2034)}`, type: random(2048), attribute: `urn:x:${random(506)}` });

  it('stores and reads back the longest tenant, id, type and attribute name, by every write path', async () => {
    const one = longest();
    await request(t.http).post('/ngsi-ld/v1/entities').set(json).set('NGSILD-Tenant', one.tenant).send({ id: one.id, type: one.type, [one.attribute]: { type: 'Property', value: 1 } }).expect(201);
    await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(one.id)}`).set('NGSILD-Tenant', one.tenant).expect(200);
    const batch = longest();
    await request(t.http).post('/ngsi-ld/v1/entityOperations/upsert').set(json).set('NGSILD-Tenant', batch.tenant).send([{ id: batch.id, type: batch.type, [batch.attribute]: { type: 'Property', value: 1 } }]).expect(201);
    const temporal = longest();
    await request(t.http)
      .post('/ngsi-ld/v1/temporal/entities')
      .set(json)
      .set('NGSILD-Tenant', temporal.tenant)
      .send({ id: temporal.id, type: temporal.type, [temporal.attribute]: [{ type: 'Property', value: 1, observedAt: '2026-01-01T00:00:00Z' }] })
      .expect(201);
  });

  it('refuses a longer attribute name with 400, by every write path', async () => {
    const id = `urn:ngsi-ld:T:${random(2000)}`;
    const attribute = random(1500);
    const single = await request(t.http).post('/ngsi-ld/v1/entities').set(json).send({ id, type: 'T', [attribute]: { type: 'Property', value: 1 } });
    expectProblem(single, 400);
    expect(single.body.detail).toMatch(/at most 512/);
    const batch = await request(t.http).post('/ngsi-ld/v1/entityOperations/upsert').set(json).send([{ id, type: 'T', [attribute]: { type: 'Property', value: 1 } }]);
    expect(batch.status).toBe(207);
    expect(JSON.stringify(batch.body.errors)).toMatch(/at most 512/);
    const temporal = await request(t.http).post('/ngsi-ld/v1/temporal/entities').set(json).send({ id, type: 'T', [attribute]: [{ type: 'Property', value: 1, observedAt: '2026-01-01T00:00:00Z' }] });
    expectProblem(temporal, 400);
  });
});

describe('what Fastify and Node refuse themselves', () => {
  it('answers a malformed URL with a problem', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/entities/urn:x:%FF');
    expectProblem(res, 400);
  });

  it('answers oversized headers with a 431 problem', async () => {
    const res = await raw(`GET /ngsi-ld/v1/entities?type=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.contentType).toMatch(/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431 });
  });

  it('answers a HEAD request with an oversized URL with a 431 and no body', async () => {
    const res = await raw(`HEAD /ngsi-ld/v1/entities?type=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.contentType).toMatch(/problem\+json/);
    expect(res.body).toBe('');
  });

  it('leaves the body out when the request line arrived in pieces and its method is not in view', async () => {
    const res = await raw(['HEAD /ngsi-ld/v1/entities?type=', ...Array.from({ length: 5 }, () => 'a'.repeat(5_000)), ' HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(res.status).toBe(431);
    expect(res.head).toMatch(/content-length: 0/i);
    expect(res.body).toBe('');
  });

  it("answers oversized URLs in a way Node's HTTP client parses, HEAD and GET", async () => {
    const path = `/ngsi-ld/v1/entities?type=${'a'.repeat(20_000)}`;
    const head = await nodeRequest('HEAD', path);
    expect(head).toMatchObject({ status: 431, body: '' });
    expect(head.headers['content-type']).toMatch(/problem\+json/);
    const get = await nodeRequest('GET', path);
    expect(get.status).toBe(431);
    expect(JSON.parse(get.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
  });

  it('answers a header with a control character with a 400 problem', async () => {
    const res = await raw('GET /health HTTP/1.1\r\nHost: x\r\nNGSILD-Tenant: a\u0001b\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/problem\+json/);
  });

  it.each([
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{}', 415, /Content-Encoding/],
    [{ 'content-type': 'application/json; charset=utf-16' }, '{}', 415, /charset/],
    [{ 'content-type': 'application/ld+json' }, '', 400, /empty/],
    [json, '{"__proto__":{"x":1}}', 400, /reserved key/],
    [json, '{"id":', 400, /not valid JSON/],
  ])('refuses body %p %p', async (headers, body, status, detail) => {
    const res = await post(body, headers);
    expectProblem(res, status);
    expect(res.body.detail).toMatch(detail);
  });
});

describe('entities that would lose data', () => {
  it.each([
    ['id and @id both', '{"id":"urn:x:a","@id":"urn:x:b","type":"T"}', /twice/],
    ['type and @type both', '{"id":"urn:x:a","type":"T","@type":"U"}', /twice/],
    ['an attribute named like an NGSI-LD member', '{"id":"urn:x:a","type":"T","observedAt":{"type":"Property","value":1}}', /member name/],
    ['instances of different kinds', '{"id":"urn:x:a","type":"T","a":[{"type":"Property","value":1},{"type":"Relationship","object":"urn:x:b","datasetId":"urn:x:d"}]}', /one kind/],
    ['30 February', '{"id":"urn:x:a","type":"T","a":{"type":"Property","value":1,"observedAt":"2026-02-30T00:00:00Z"}}', /date-time/],
    ['a self-intersecting polygon', '{"id":"urn:x:a","type":"T","location":{"type":"GeoProperty","value":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}}', /not a valid geometry/],
  ])('refuses %s', async (_what, body, detail) => {
    const res = await post(body);
    expectProblem(res, 400);
    expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
    expect(res.body.detail).toMatch(detail);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:x:a').expect(404);
  });

  it('keeps several instances as objects in concise form, so that it reads back the same', async () => {
    const entity = {
      id: 'urn:x:multi',
      type: 'T',
      temp: [
        { type: 'Property', value: 1, datasetId: 'urn:ds:a' },
        { type: 'Property', value: 3 },
      ],
    };
    await post(JSON.stringify(entity)).expect(201);
    const concise = (await request(t.http).get('/ngsi-ld/v1/entities/urn:x:multi?options=concise').expect(200)).body;
    expect(concise.temp).toEqual([{ value: 1, datasetId: 'urn:ds:a' }, { value: 3 }]);
    await post(JSON.stringify({ ...concise, id: 'urn:x:multi-2' })).expect(201);
    const again = (await request(t.http).get('/ngsi-ld/v1/entities/urn:x:multi-2').expect(200)).body;
    expect(again.temp).toEqual(entity.temp);
  });
});

describe('browsers', () => {
  it('allows every method of the API in CORS preflight', async () => {
    const res = await request(t.http)
      .options('/ngsi-ld/v1/entities/urn:x:1')
      .set({ origin: 'https://twin.example', 'access-control-request-method': 'DELETE' })
      .expect(204);
    expect(res.headers['access-control-allow-methods'].split(/,\s*/)).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
  });
});

describe('the front door', () => {
  it('says where to go at /', async () => {
    const res = await request(t.http).get('/').expect(200);
    expect(res.body.links).toMatchObject({ documentation: '/docs', ngsiLd: '/ngsi-ld/v1' });
  });
});

