import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld';
let t: TestApp;

const batch = (operation: string, body: unknown, query = '', type = 'application/json') =>
  request(t.http).post(`/ngsi-ld/v1/entityOperations/${operation}${query}`).set('content-type', type).send(JSON.stringify(body));
const meter = (n: number, litres = 100) => ({
  id: `urn:ngsi-ld:WaterConsumptionObserved:meter-${n}`,
  type: 'WaterConsumptionObserved',
  volume: { type: 'Property', value: litres, unitCode: 'LTR' },
});
const read = (n: number) => request(t.http).get(`/ngsi-ld/v1/entities/urn:ngsi-ld:WaterConsumptionObserved:meter-${n}?options=keyValues`);

beforeAll(async () => {
  t = await startTestApp({ BATCH_MAX_ENTITIES: '50' });
});
afterAll(async () => {
  await t?.close();
});

describe('create', () => {
  it('creates all and answers 201 with their ids', async () => {
    const res = await batch('create', [meter(1), meter(2)]).expect(201);
    expect(res.body).toEqual(['urn:ngsi-ld:WaterConsumptionObserved:meter-1', 'urn:ngsi-ld:WaterConsumptionObserved:meter-2']);
    expect((await read(2).expect(200)).body.volume).toBe(100);
  });

  it('creates the good ones and reports the others in a 207 BatchOperationResult', async () => {
    const res = await batch('create', [meter(3), meter(1), { id: 'not a uri', type: 'X' }, { ...meter(4), volume: { type: 'Property' } }, meter(3)]).expect(207);
    expect(res.body.success).toEqual(['urn:ngsi-ld:WaterConsumptionObserved:meter-3']);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ entityId: 'not a uri', error: expect.objectContaining({ type: `${ERRORS}BadRequestData` }) }),
      expect.objectContaining({ entityId: 'urn:ngsi-ld:WaterConsumptionObserved:meter-4', error: expect.objectContaining({ type: `${ERRORS}BadRequestData` }) }),
      expect.objectContaining({ entityId: 'urn:ngsi-ld:WaterConsumptionObserved:meter-1', error: expect.objectContaining({ type: `${ERRORS}AlreadyExists` }) }),
      expect.objectContaining({ entityId: 'urn:ngsi-ld:WaterConsumptionObserved:meter-3', error: expect.objectContaining({ type: `${ERRORS}AlreadyExists`, detail: expect.stringMatching(/more than once/) }) }),
    ]);
    await read(4).expect(404);
  });

  it('reads each entity with its own @context as application/ld+json', async () => {
    const res = await batch(
      'create',
      [
        { '@context': [{ litres: 'https://example.org/volume' }, CORE], ...meter(5), litres: 5 },
        { ...meter(6) },
      ],
      '',
      'application/ld+json',
    ).expect(207);
    expect(res.body.success).toEqual(['urn:ngsi-ld:WaterConsumptionObserved:meter-5']);
    expect(res.body.errors[0].error.detail).toMatch(/must contain an @context/);
    const plain = await read(5).expect(200);
    expect(plain.body['https://example.org/volume']).toBe(5);
  });
});

describe('upsert', () => {
  it('creates what is new (201 with those ids) and replaces what exists', async () => {
    await batch('create', [{ ...meter(10), note: { type: 'Property', value: 'old' } }]).expect(201);
    const res = await batch('upsert', [meter(10, 250), meter(11, 300)]).expect(201);
    expect(res.body).toEqual(['urn:ngsi-ld:WaterConsumptionObserved:meter-11']);
    const replaced = (await read(10).expect(200)).body;
    expect(replaced.volume).toBe(250);
    expect(replaced).not.toHaveProperty('note');
  });

  it('answers 204 when nothing was new', async () => {
    await batch('upsert', [meter(10, 260)]).expect(204);
    expect((await read(10)).body.volume).toBe(260);
  });

  it('appends to existing entities with options=update', async () => {
    await batch('upsert', [{ ...meter(12), note: { type: 'Property', value: 'kept' } }]).expect(201);
    await batch('upsert', [{ id: meter(12).id, type: 'WaterConsumptionObserved', volume: 999 }], '?options=update').expect(204);
    expect((await read(12)).body).toMatchObject({ volume: 999, note: 'kept' });
  });

  it('reports invalid entities with 207 and writes the rest', async () => {
    const res = await batch('upsert', [meter(13), { id: 'urn:x:bad' }]).expect(207);
    expect(res.body.success).toEqual(['urn:ngsi-ld:WaterConsumptionObserved:meter-13']);
    expect(res.body.errors[0]).toMatchObject({ entityId: 'urn:x:bad' });
    await batch('upsert', [meter(13)], '?options=replace,update').expect(400);
  });
});

describe('update', () => {
  it('appends to existing entities and reports unknown ones', async () => {
    await batch('create', [meter(20), meter(21)]).expect(201);
    const res = await batch('update', [
      { id: meter(20).id, volume: 1, leak: { type: 'Property', value: true } },
      { id: 'urn:ngsi-ld:WaterConsumptionObserved:none', volume: 1 },
    ]).expect(207);
    expect(res.body.success).toEqual([meter(20).id]);
    expect(res.body.errors[0].error.type).toBe(`${ERRORS}ResourceNotFound`);
    expect((await read(20)).body).toMatchObject({ volume: 1, leak: true });
  });

  it('keeps existing attributes with noOverwrite, adding the new ones and naming the kept ones in a 207', async () => {
    const res = await batch('update', [{ id: meter(21).id, volume: 5, leak: false }], '?options=noOverwrite').expect(207);
    expect(res.body.success).toEqual([]);
    expect(res.body.errors).toEqual([{ entityId: meter(21).id, error: expect.objectContaining({ type: `${ERRORS}BadRequestData`, detail: expect.stringMatching(/volume/) }) }]);
    expect((await read(21)).body).toMatchObject({ volume: 100, leak: false });
    await batch('update', [{ id: meter(21).id, note: 'new' }], '?options=noOverwrite').expect(204);
  });
});

describe('merge', () => {
  it('merges into existing entities, deleting with urn:ngsi-ld:null', async () => {
    await batch('create', [{ ...meter(30), leak: { type: 'Property', value: true, observedAt: '2026-11-20T10:00:00Z' } }]).expect(201);
    await batch('merge', [{ id: meter(30).id, leak: { observedAt: '2026-11-21T10:00:00Z' }, volume: 'urn:ngsi-ld:null' }]).expect(204);
    const merged = (await request(t.http).get(`/ngsi-ld/v1/entities/${meter(30).id}`).expect(200)).body;
    expect(merged.leak).toEqual({ type: 'Property', value: true, observedAt: '2026-11-21T10:00:00Z' });
    expect(merged).not.toHaveProperty('volume');
    const res = await batch('merge', [{ id: 'urn:x:none', a: 1 }]).expect(207);
    expect(res.body.errors[0].error.type).toBe(`${ERRORS}ResourceNotFound`);
  });
});

describe('delete', () => {
  it('deletes and reports unknown and invalid ids', async () => {
    await batch('create', [meter(40), meter(41)]).expect(201);
    await batch('delete', [meter(40).id]).expect(204);
    await read(40).expect(404);
    const res = await batch('delete', [meter(41).id, meter(40).id, 'bad id']).expect(207);
    expect(res.body.success).toEqual([meter(41).id]);
    expect(res.body.errors.map((e: { entityId: string }) => e.entityId).sort()).toEqual(['bad id', meter(40).id]);
  });
});

describe('the batch itself', () => {
  it.each([
    ['create', {}, /JSON array/],
    ['create', [], /not be empty/],
    ['upsert', Array.from({ length: 51 }, (_, i) => meter(100 + i)), /at most 50/],
    ['delete', 'x', /JSON array/],
  ])('%s refuses %p', async (operation, body, detail) => {
    const res = await batch(operation, body).expect(400);
    expect(res.body.detail).toMatch(detail);
  });

  it('refuses a Link header with application/ld+json', async () => {
    const res = await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/create')
      .set({ 'content-type': 'application/ld+json', link: `<${CORE}>; rel="http://www.w3.org/ns/json-ld#context"` })
      .send(JSON.stringify([{ '@context': CORE, ...meter(50) }]))
      .expect(400);
    expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
  });
});
