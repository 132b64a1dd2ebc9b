import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
let t: TestApp;
let counter = 0;

const json = { 'content-type': 'application/json' };
const path = (id: string) => `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`;
const read = async (id: string, query = '') => (await request(t.http).get(`${path(id)}${query}`).expect(200)).body;

/** A fresh bin with a fill level (with a sub-attribute), a status, a device and a location. */
async function newBin(extra: object = {}): Promise<string> {
  const id = `urn:ngsi-ld:WasteContainer:bin-${++counter}`;
  await request(t.http)
    .post('/ngsi-ld/v1/entities')
    .set(json)
    .send(
      JSON.stringify({
        id,
        type: 'WasteContainer',
        fillingLevel: { type: 'Property', value: 0.4, observedAt: '2026-11-20T10:00:00Z', accuracy: { type: 'Property', value: 0.05 } },
        status: { type: 'Property', value: 'ok' },
        refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:sensor-1' },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [12.0, 57.7] } },
        ...extra,
      }),
    )
    .expect(201);
  return id;
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('POST /entities/{id}/attrs (append)', () => {
  it('adds and overwrites attributes, keeping createdAt of what it overwrites', async () => {
    const id = await newBin();
    const before = await read(id, '?options=sysAttrs');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await request(t.http)
      .post(`${path(id)}/attrs`)
      .set(json)
      .send(JSON.stringify({ fillingLevel: { type: 'Property', value: 0.9 }, temperature: { type: 'Property', value: 3 } }))
      .expect(204);
    const after = await read(id, '?options=sysAttrs');
    expect(after.fillingLevel).toMatchObject({ value: 0.9, createdAt: before.fillingLevel.createdAt });
    expect(after.fillingLevel).not.toHaveProperty('accuracy');
    expect(after.fillingLevel.modifiedAt > before.fillingLevel.modifiedAt).toBe(true);
    expect(after.temperature.value).toBe(3);
    expect(after.modifiedAt > before.modifiedAt).toBe(true);
    expect(after.createdAt).toBe(before.createdAt);
  });

  it('keeps existing attributes with noOverwrite and reports them in a 207 UpdateResult', async () => {
    const id = await newBin();
    const res = await request(t.http)
      .post(`${path(id)}/attrs?options=noOverwrite`)
      .set(json)
      .send(JSON.stringify({ fillingLevel: { type: 'Property', value: 0.9 }, temperature: { type: 'Property', value: 3 } }))
      .expect(207);
    expect(res.body).toEqual({
      updated: ['temperature'],
      notUpdated: [{ attributeName: 'fillingLevel', reason: 'the attribute exists and noOverwrite is set' }],
    });
    expect((await read(id)).fillingLevel.value).toBe(0.4);
  });

  it('adds a type given in the fragment, and refuses a fragment about another entity', async () => {
    const id = await newBin();
    await request(t.http).post(`${path(id)}/attrs`).set(json).send(JSON.stringify({ type: 'Device', battery: 1 })).expect(204);
    expect((await read(id)).type).toEqual(['WasteContainer', 'Device']);
    const res = await request(t.http).post(`${path(id)}/attrs`).set(json).send(JSON.stringify({ id: 'urn:x:other', battery: 1 })).expect(400);
    expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
  });

  it('makes the new values findable by q and geo-queries at once', async () => {
    const id = await newBin();
    await request(t.http)
      .post(`${path(id)}/attrs`)
      .set(json)
      .send(JSON.stringify({ fillingLevel: 0.97, location: { type: 'Point', coordinates: [13.5, 58.1] } }))
      .expect(204);
    const byValue = await request(t.http).get(`/ngsi-ld/v1/entities?q=${encodeURIComponent('fillingLevel>0.95')}`).expect(200);
    expect(byValue.body.map((e: { id: string }) => e.id)).toContain(id);
    const near = `/ngsi-ld/v1/entities?georel=${encodeURIComponent('near;maxDistance==100')}&geometry=Point&coordinates=${encodeURIComponent('[13.5,58.1]')}`;
    expect((await request(t.http).get(near).expect(200)).body.map((e: { id: string }) => e.id)).toEqual([id]);
  });
});

describe('PATCH /entities/{id}/attrs (update)', () => {
  it('updates what exists and reports what does not', async () => {
    const id = await newBin();
    const res = await request(t.http)
      .patch(`${path(id)}/attrs`)
      .set(json)
      .send(JSON.stringify({ status: { type: 'Property', value: 'full' }, colour: { type: 'Property', value: 'green' } }))
      .expect(207);
    expect(res.body).toEqual({ updated: ['status'], notUpdated: [{ attributeName: 'colour', reason: 'the entity has no such attribute' }] });
    const entity = await read(id);
    expect(entity.status.value).toBe('full');
    expect(entity).not.toHaveProperty('colour');
    await request(t.http).patch(`${path(id)}/attrs`).set(json).send(JSON.stringify({ status: 'emptied' })).expect(204);
  });
});

describe('PATCH /entities/{id}/attrs/{attrId} (partial attribute update)', () => {
  it('changes the members given and keeps the others', async () => {
    const id = await newBin();
    await request(t.http)
      .patch(`${path(id)}/attrs/fillingLevel`)
      .set(json)
      .send(JSON.stringify({ value: 0.55, observedAt: '2026-11-21T06:00:00Z' }))
      .expect(204);
    expect((await read(id)).fillingLevel).toEqual({
      type: 'Property',
      value: 0.55,
      observedAt: '2026-11-21T06:00:00Z',
      accuracy: { type: 'Property', value: 0.05 },
    });
    await request(t.http).patch(`${path(id)}/attrs/fillingLevel`).set(json).send('0.6').expect(204);
    expect((await read(id)).fillingLevel.value).toBe(0.6);
  });

  it('addresses one instance by datasetId', async () => {
    const id = await newBin({
      fillingLevel: [
        { type: 'Property', value: 0.4 },
        { type: 'Property', value: 0.5, datasetId: 'urn:ngsi-ld:Dataset:radar' },
      ],
    });
    await request(t.http)
      .patch(`${path(id)}/attrs/fillingLevel`)
      .set(json)
      .send(JSON.stringify({ value: 0.8, datasetId: 'urn:ngsi-ld:Dataset:radar' }))
      .expect(204);
    const levels = (await read(id)).fillingLevel.map((i: { value: number }) => i.value).sort();
    expect(levels).toEqual([0.4, 0.8]);
    const missing = await request(t.http)
      .patch(`${path(id)}/attrs/fillingLevel`)
      .set(json)
      .send(JSON.stringify({ value: 1, datasetId: 'urn:ngsi-ld:Dataset:none' }))
      .expect(404);
    expect(missing.body.type).toBe(`${ERRORS}ResourceNotFound`);
  });

  it('says 404 for an attribute or entity that is not there', async () => {
    const id = await newBin();
    await request(t.http).patch(`${path(id)}/attrs/colour`).set(json).send('{"value":1}').expect(404);
    await request(t.http).patch(`${path('urn:x:none')}/attrs/colour`).set(json).send('{"value":1}').expect(404);
  });
});

describe('PUT /entities/{id}/attrs/{attrId} (replace attribute)', () => {
  it('replaces the attribute whole', async () => {
    const id = await newBin();
    await request(t.http)
      .put(`${path(id)}/attrs/fillingLevel`)
      .set(json)
      .send(JSON.stringify({ type: 'Property', value: 0.1, unitCode: 'P1' }))
      .expect(204);
    expect((await read(id)).fillingLevel).toEqual({ type: 'Property', value: 0.1, unitCode: 'P1' });
    await request(t.http).put(`${path(id)}/attrs/colour`).set(json).send(JSON.stringify({ type: 'Property', value: 1 })).expect(404);
    const invalid = await request(t.http).put(`${path(id)}/attrs/location`).set(json).send(JSON.stringify({ type: 'Property', value: 1 })).expect(400);
    expect(invalid.body.detail).toMatch(/GeoProperty/);
  });
});

describe('PUT /entities/{id} (replace entity)', () => {
  it('replaces types and attributes, keeping the id and createdAt', async () => {
    const id = await newBin();
    const before = await read(id, '?options=sysAttrs');
    await request(t.http)
      .put(path(id))
      .set(json)
      .send(JSON.stringify({ type: 'Streetlight', powerState: { type: 'Property', value: 'on' } }))
      .expect(204);
    const after = await read(id, '?options=sysAttrs');
    expect(after).toMatchObject({ id, type: 'Streetlight', powerState: { value: 'on' }, createdAt: before.createdAt });
    expect(after).not.toHaveProperty('fillingLevel');
    await request(t.http).put(path(id)).set(json).send(JSON.stringify({ id: 'urn:x:other', type: 'X' })).expect(400);
    await request(t.http).put(path('urn:x:none')).set(json).send(JSON.stringify({ type: 'X' })).expect(404);
  });
});

describe('PATCH /entities/{id} (merge)', () => {
  it('adds, merges member by member, and deletes with urn:ngsi-ld:null', async () => {
    const id = await newBin();
    await request(t.http)
      .patch(path(id))
      .set('content-type', 'application/merge-patch+json')
      .send(
        JSON.stringify({
          fillingLevel: { value: 0.7, accuracy: 'urn:ngsi-ld:null' },
          status: 'urn:ngsi-ld:null',
          colour: { type: 'Property', value: 'green' },
          type: 'Device',
        }),
      )
      .expect(204);
    const entity = await read(id);
    expect(entity.fillingLevel).toEqual({ type: 'Property', value: 0.7, observedAt: '2026-11-20T10:00:00Z' });
    expect(entity).not.toHaveProperty('status');
    expect(entity.colour.value).toBe('green');
    expect(entity.type).toEqual(['WasteContainer', 'Device']);
    expect(entity.refDevice.object).toBe('urn:ngsi-ld:Device:sensor-1');
  });

  it('accepts application/json and application/ld+json too, and refuses other types', async () => {
    const id = await newBin();
    await request(t.http).patch(path(id)).set(json).send('{"status":"x"}').expect(204);
    await request(t.http)
      .patch(path(id))
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify({ '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld', status: 'y' }))
      .expect(204);
    expect((await read(id)).status.value).toBe('y');
    await request(t.http).patch(path(id)).set('content-type', 'text/plain').send('x').expect(415);
  });
});

describe('DELETE /entities/{id}/attrs/{attrId}', () => {
  it('deletes the default instance, one datasetId, or all', async () => {
    const id = await newBin({
      fillingLevel: [
        { type: 'Property', value: 0.4 },
        { type: 'Property', value: 0.5, datasetId: 'urn:ngsi-ld:Dataset:a' },
        { type: 'Property', value: 0.6, datasetId: 'urn:ngsi-ld:Dataset:b' },
      ],
    });
    await request(t.http).delete(`${path(id)}/attrs/fillingLevel?datasetId=urn:ngsi-ld:Dataset:a`).expect(204);
    expect((await read(id)).fillingLevel).toHaveLength(2);
    await request(t.http).delete(`${path(id)}/attrs/fillingLevel`).expect(204);
    expect((await read(id)).fillingLevel).toMatchObject({ datasetId: 'urn:ngsi-ld:Dataset:b' });
    await request(t.http).delete(`${path(id)}/attrs/fillingLevel`).expect(404);
    await request(t.http).delete(`${path(id)}/attrs/fillingLevel?deleteAll=true`).expect(204);
    expect(await read(id)).not.toHaveProperty('fillingLevel');
    await request(t.http).delete(`${path(id)}/attrs/fillingLevel?deleteAll=true`).expect(404);
    await request(t.http).delete(`${path(id)}/attrs/status?datasetId=urn:a:b&deleteAll=true`).expect(400);
  });
});

describe('bad updates change nothing', () => {
  it.each([
    ['POST', '/attrs', '{"fillingLevel":{"type":"Property"}}'],
    ['POST', '/attrs', '{"location":{"type":"Property","value":1}}'],
    ['PATCH', '/attrs', '{"fillingLevel":{"type":"Sensor","value":1}}'],
    ['PATCH', '/attrs/fillingLevel', '{"observedAt":"yesterday"}'],
    ['PUT', '/attrs/fillingLevel', '{"type":"Property"}'],
    ['PATCH', '', '{"fillingLevel":{"observedAt":"no"}}'],
    ['PUT', '', '{"type":"X","location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[1]}}}'],
  ])('%s %s %s', async (method, suffix, body) => {
    const id = await newBin();
    const before = await read(id);
    const res = await request(t.http)[method.toLowerCase() as 'post' | 'patch' | 'put'](`${path(id)}${suffix}`).set(json).send(body);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
    expect(await read(id)).toEqual(before);
  });

  it('refuses unknown options', async () => {
    const id = await newBin();
    await request(t.http).post(`${path(id)}/attrs?options=replace`).set(json).send('{"a":1}').expect(400);
    await request(t.http).patch(`${path(id)}/attrs?foo=bar`).set(json).send('{"a":1}').expect(400);
  });
});
