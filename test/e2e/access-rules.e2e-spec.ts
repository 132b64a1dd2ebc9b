import request from 'supertest';
import { Sql } from 'src/database/sql';
import { startIdentityProvider, IdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Writing, placing entities in datasets, combination rules, and changes of classification that
 * apply on the very next request.
 */

let idp: IdentityProvider;
let t: TestApp;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'borasWriter' | 'borasMember' | 'granted', Record<string, string>>;
const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';

async function dataset(body: Record<string, unknown>, as = auth.gbgAdmin): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(as)
    .send({ title: { sv: 'Data' }, description: { sv: 'Data' }, classification: { confidentiality: 1, integrity: 1, availability: 1 }, ...body })
    .expect(201);
  return res.body.id;
}

function create(entities: object[], headers: Record<string, string>) {
  return request(t.http)
    .post('/ngsi-ld/v1/entityOperations/create')
    .set({ ...headers, 'content-type': 'application/json' })
    .send(JSON.stringify(entities));
}

const thing = (id: string, type: string, extra: object = {}) => ({ id, type, reading: { type: 'Property', value: 1 }, ...extra });
const datasetOf = async (id: string) =>
  (await t.app.get(Sql).query<{ dataset_id: string }>('SELECT dataset_id FROM entity WHERE id = $1', [id])).rows[0]?.dataset_id;

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.borasWriter = await idp.bearer({ sub: 'writer-boras', organisation: 'boras', roles: ['writer'] });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.granted = await idp.bearer({ sub: 'analyst', organisation: 'boras', amr: ['pwd', 'otp'] });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe('placing entities in datasets', () => {
  it('puts an entity no rule claims in the organisation default dataset, restricted (K2)', async () => {
    await create([thing('urn:ngsi-ld:Unclaimed:1', 'Unclaimed')], auth.gbgWriter).expect(201);
    const id = await datasetOf('urn:ngsi-ld:Unclaimed:1');
    const res = await request(t.http).get(`/api/v1/datasets/${id}`).set(auth.gbgWriter).expect(200);
    expect(res.body).toMatchObject({ isDefault: true, organisation: 'goteborg', classification: { confidentiality: 2 }, open: false });
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Unclaimed:1').expect(404);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Unclaimed:1').set(auth.borasMember).expect(404);
  });

  it('takes the most specific rule: an id pattern over a type', async () => {
    const byType = await dataset({ entities: [{ type: 'Bin' }] });
    const byPattern = await dataset({ entities: [{ type: 'Bin', idPattern: '^urn:ngsi-ld:Bin:central-' }] });
    await create([thing('urn:ngsi-ld:Bin:north-1', 'Bin'), thing('urn:ngsi-ld:Bin:central-1', 'Bin')], auth.gbgWriter).expect(201);
    expect(await datasetOf('urn:ngsi-ld:Bin:north-1')).toBe(byType);
    expect(await datasetOf('urn:ngsi-ld:Bin:central-1')).toBe(byPattern);
  });

  it('re-places existing entities when the rules change, except those placed explicitly', async () => {
    await create([thing('urn:ngsi-ld:Meter:1', 'Meter')], auth.gbgWriter).expect(201);
    const explicitTarget = await dataset({ entities: [{ type: 'Elsewhere' }] });
    await create([thing('urn:ngsi-ld:Meter:2', 'Meter')], { ...auth.gbgWriter, 'vgds-dataset': explicitTarget }).expect(201);
    const meters = await dataset({ entities: [{ type: 'Meter' }] });
    expect(await datasetOf('urn:ngsi-ld:Meter:1')).toBe(meters);
    expect(await datasetOf('urn:ngsi-ld:Meter:2')).toBe(explicitTarget);
  });

  it('moves an entity whose types change to the dataset its new type belongs to', async () => {
    const lamps = await dataset({ entities: [{ type: 'Lamp' }] });
    await create([thing('urn:ngsi-ld:Thing:lamp', 'Unsorted')], auth.gbgWriter).expect(201);
    await request(t.http)
      .post('/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:lamp/attrs')
      .set({ ...auth.gbgWriter, 'content-type': 'application/json' })
      .send(JSON.stringify({ type: 'Lamp' }))
      .expect(204);
    expect(await datasetOf('urn:ngsi-ld:Thing:lamp')).toBe(lamps);
  });

  it('refuses VGDS-Dataset naming a dataset of another organisation', async () => {
    const boras = await dataset({ organisation: 'boras', entities: [] }, await idp.bearer({ sub: 'admin-boras', organisation: 'boras', roles: ['admin'], amr: ['otp'] }));
    const res = await create([thing('urn:ngsi-ld:X:1', 'X')], { ...auth.gbgWriter, 'vgds-dataset': boras }).expect(403);
    expect(res.body.type).toBe(FORBIDDEN);
    await create([thing('urn:ngsi-ld:X:1', 'X')], { ...auth.gbgWriter, 'vgds-dataset': 'not-a-uuid' }).expect(400);
  });
});

describe('writing', () => {
  let open: string;
  beforeAll(async () => {
    open = await dataset({ entities: [{ type: 'Bench' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    await create([thing('urn:ngsi-ld:Bench:1', 'Bench'), thing('urn:ngsi-ld:Bench:2', 'Bench')], auth.gbgWriter).expect(201);
  });

  it('lets anonymous callers write nothing (401) and members without the writer role nothing (403)', async () => {
    await create([thing('urn:ngsi-ld:Bench:9', 'Bench')], {}).expect(401);
    await create([thing('urn:ngsi-ld:Bench:9', 'Bench')], auth.borasMember).expect(403);
  });

  it('lets another organisation read an open entity but not change or delete it (403)', async () => {
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Bench:1').set(auth.borasWriter).expect(200);
    const patch = await request(t.http)
      .patch('/ngsi-ld/v1/entities/urn:ngsi-ld:Bench:1/attrs')
      .set({ ...auth.borasWriter, 'content-type': 'application/json' })
      .send(JSON.stringify({ reading: { type: 'Property', value: 2 } }))
      .expect(403);
    expect(patch.body.type).toBe(FORBIDDEN);
    await request(t.http).delete('/ngsi-ld/v1/entities/urn:ngsi-ld:Bench:1').set(auth.borasWriter).expect(403);
    const stored = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Bench:1?options=keyValues').expect(200);
    expect(stored.body.reading).toBe(1);
  });

  it('answers 404 for changes to entities the caller cannot see', async () => {
    await request(t.http).delete('/ngsi-ld/v1/entities/urn:ngsi-ld:Unclaimed:1').set(auth.borasWriter).expect(404);
  });

  it('reports, per entity, what a batch upsert may not overwrite, and writes the rest', async () => {
    const res = await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/upsert')
      .set({ ...auth.borasWriter, 'content-type': 'application/json' })
      .send(JSON.stringify([thing('urn:ngsi-ld:Bench:2', 'Bench', { reading: { type: 'Property', value: 99 } }), thing('urn:ngsi-ld:Boras:1', 'Bench')]))
      .expect(207);
    expect(res.body.success).toEqual(['urn:ngsi-ld:Boras:1']);
    expect(res.body.errors).toEqual([{ entityId: 'urn:ngsi-ld:Bench:2', error: expect.objectContaining({ status: 403, type: FORBIDDEN }) }]);
    const stored = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Bench:2?options=keyValues').expect(200);
    expect(stored.body.reading).toBe(1);
    // The new entity is Borås's: the Bench rule belongs to Göteborg, so it lands in Borås's default dataset.
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Boras:1').expect(404);
  });

  it('limits an API key to the datasets it is scoped to', async () => {
    const other = await dataset({ entities: [{ type: 'Pump' }] });
    const key = (await request(t.http).post('/api/v1/api-keys').set(auth.gbgAdmin).send({ name: 'bench gateway', write: true, datasets: [open] }).expect(201)).body.key;
    await create([thing('urn:ngsi-ld:Bench:3', 'Bench')], { 'x-api-key': key }).expect(201);
    const refused = await create([thing('urn:ngsi-ld:Pump:1', 'Pump')], { 'x-api-key': key }).expect(207);
    expect(refused.body.errors[0]).toMatchObject({ entityId: 'urn:ngsi-ld:Pump:1', error: { status: 403 } });
    await create([thing('urn:ngsi-ld:Pump:1', 'Pump')], { 'x-api-key': key, 'vgds-dataset': other }).expect(403);
  });
});

describe('combination rules', () => {
  let positions: string;
  let times: string;
  beforeAll(async () => {
    positions = await dataset({ entities: [{ type: 'CounterPosition' }] });
    times = await dataset({ entities: [{ type: 'CounterTime' }] });
    await create([thing('urn:ngsi-ld:CounterPosition:1', 'CounterPosition'), thing('urn:ngsi-ld:CounterTime:1', 'CounterTime')], auth.gbgWriter).expect(201);
    await request(t.http)
      .post('/api/v1/combination-rules')
      .set(auth.gbgAdmin)
      .send({ name: 'People counters: positions with times', datasets: [positions, times], confidentiality: 3 })
      .expect(201);
  });
  const query = (types: string, headers: Record<string, string>) => request(t.http).get(`/ngsi-ld/v1/entities?type=${types}`).set(headers);

  it('lets a K1 reader have each dataset alone', async () => {
    expect((await query('CounterPosition', auth.borasMember).expect(200)).body).toHaveLength(1);
    expect((await query('CounterTime', auth.borasMember).expect(200)).body).toHaveLength(1);
  });

  it('refuses a query drawing on both, naming the rule, and audits the refusal', async () => {
    const res = await query('CounterPosition,CounterTime', auth.borasMember).expect(403);
    expect(res.body).toMatchObject({
      type: 'urn:vg-datashare:problem:combination-refused',
      combinationRule: { name: 'People counters: positions with times', confidentiality: 3 },
    });
    expect(res.body.detail).toContain('People counters: positions with times');
    const batch = await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/query')
      .set({ ...auth.borasMember, 'content-type': 'application/json' })
      .send(JSON.stringify({ type: 'Query', entities: [{ type: 'CounterPosition' }, { type: 'CounterTime' }] }))
      .expect(403);
    expect(batch.body.type).toBe('urn:vg-datashare:problem:combination-refused');
    const audit = await request(t.http).get('/api/v1/audit-log?event=access.refused').set(auth.gbgAdmin).expect(200);
    expect(audit.body.length).toBeGreaterThan(0);
  });

  it('allows the combination to a principal granted both datasets, with MFA', async () => {
    for (const id of [positions, times]) {
      await request(t.http).post(`/api/v1/datasets/${id}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst' }).expect(201);
    }
    expect((await query('CounterPosition,CounterTime', auth.granted).expect(200)).body).toHaveLength(2);
  });
});

describe('changes of classification', () => {
  it('apply from the next request on: raising hides, lowering reveals', async () => {
    const id = await dataset({ entities: [{ type: 'Hydrant' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    await create([thing('urn:ngsi-ld:Hydrant:1', 'Hydrant')], auth.gbgWriter).expect(201);
    const read = () => request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Hydrant:1');
    await read().expect(200);
    await request(t.http).patch(`/api/v1/datasets/${id}`).set(auth.gbgAdmin).send({ classification: { confidentiality: 2, integrity: 1, availability: 1 }, open: false }).expect(200);
    await read().expect(404);
    await read().set(auth.borasMember).expect(404);
    await read().set(auth.gbgWriter).expect(200);
    await request(t.http).post(`/api/v1/datasets/${id}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras' }).expect(201);
    await read().set(auth.borasMember).expect(200);
  });

  it('retiring a dataset leaves its entities to its own organisation', async () => {
    const id = await dataset({ entities: [{ type: 'Sign' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    await create([thing('urn:ngsi-ld:Sign:1', 'Sign')], auth.gbgWriter).expect(201);
    await request(t.http).delete(`/api/v1/datasets/${id}`).set(auth.gbgAdmin).expect(204);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Sign:1').expect(404);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Sign:1').set(auth.gbgWriter).expect(200);
    // New entities of that type no longer land in it.
    await create([thing('urn:ngsi-ld:Sign:2', 'Sign')], auth.gbgWriter).expect(201);
    expect(await datasetOf('urn:ngsi-ld:Sign:2')).not.toBe(id);
  });
});

describe('failed authentication with a known key', () => {
  it('is audited for the key’s organisation, so its admins see it', async () => {
    const issued = (await request(t.http).post('/api/v1/api-keys').set(auth.gbgAdmin).send({ name: 'old gateway' }).expect(201)).body;
    await request(t.http).delete(`/api/v1/api-keys/${issued.id}`).set(auth.gbgAdmin).expect(204);
    await request(t.http).get('/api/v1/me').set('x-api-key', issued.key).expect(401);
    const audit = await request(t.http).get('/api/v1/audit-log?event=authentication.failed').set(auth.gbgAdmin).expect(200);
    expect(audit.body).toEqual([expect.objectContaining({ organisation: 'goteborg', details: expect.objectContaining({ reason: 'The API key has been revoked' }) })]);
  });
});

describe('what the trial of a new user found', () => {
  it('refuses tokens whose subject poses as an API key principal', async () => {
    const res = await request(t.http).get('/api/v1/me').set(await idp.bearer({ sub: 'api-key:035bbec3-1fb1-43d3-8242-f7e75bc571fc', organisation: 'lerum' })).expect(401);
    expect(res.body.detail).toContain('api-key');
  });

  it('does not share an organisation’s default dataset', async () => {
    await create([thing('urn:ngsi-ld:Unclaimed:2', 'Unclaimed')], auth.gbgWriter).expect(201);
    const defaultDataset = await datasetOf('urn:ngsi-ld:Unclaimed:2');
    const res = await request(t.http).post(`/api/v1/datasets/${defaultDataset}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras' }).expect(400);
    expect(res.body.detail).toContain('default dataset');
  });

  it('lists only combination rules over datasets the caller may know of', async () => {
    const hidden = await dataset({ entities: [{ type: 'Secret' }], classification: { confidentiality: 2, integrity: 1, availability: 1 } });
    const open = await dataset({ entities: [{ type: 'Public' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    await request(t.http).post('/api/v1/combination-rules').set(auth.gbgAdmin).send({ name: 'secret with public', datasets: [hidden, open], confidentiality: 3 }).expect(201);
    const seenByBoras = await request(t.http).get('/api/v1/combination-rules').set(auth.borasMember).expect(200);
    expect(seenByBoras.body.map((r: { name: string }) => r.name)).not.toContain('secret with public');
    const seenByOwner = await request(t.http).get('/api/v1/combination-rules').set(auth.gbgWriter).expect(200);
    expect(seenByOwner.body.map((r: { name: string }) => r.name)).toContain('secret with public');
  });
});

describe('refusals in the audit log', () => {
  it('are filed with the organisation whose data or governance they concerned', async () => {
    const id = await dataset({ entities: [{ type: 'Kiosk' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    const borasAdmin = await idp.bearer({ sub: 'admin-boras-2', organisation: 'boras', roles: ['admin'], amr: ['otp'] });
    await request(t.http).post(`/api/v1/datasets/${id}/grants`).set(borasAdmin).send({ organisation: 'boras' }).expect(403);
    const audit = await request(t.http).get('/api/v1/audit-log?event=access.refused').set(auth.gbgAdmin).expect(200);
    expect(audit.body).toContainEqual(
      expect.objectContaining({ actor: 'admin-boras-2', organisation: 'goteborg', details: expect.objectContaining({ caller: 'boras' }) }),
    );
  });
});

describe('default datasets in the audit log', () => {
  it('records the creation of an organisation default dataset by its first write', async () => {
    const kungalv = await idp.bearer({ sub: 'writer-kungalv', organisation: 'kungalv', roles: ['writer'] });
    await create([thing('urn:ngsi-ld:Kungalv:1', 'Unclaimed')], kungalv).expect(201);
    const platform = await idp.bearer({ sub: 'root', organisation: 'platform', roles: ['platform-admin'], amr: ['otp'] });
    const audit = await request(t.http).get('/api/v1/audit-log?organisation=kungalv&event=dataset.created').set(platform).expect(200);
    expect(audit.body).toEqual([expect.objectContaining({ target: await datasetOf('urn:ngsi-ld:Kungalv:1'), details: expect.objectContaining({ isDefault: true }) })]);
  });
});
