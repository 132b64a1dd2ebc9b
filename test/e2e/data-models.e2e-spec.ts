import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { DataModel } from 'src/models/data-model';
import { ModelRegistry } from 'src/models/model-registry';
import { ModelValidator } from 'src/models/model-validator';
import { attributeFieldOf, typeNameOf, valueFieldOf } from 'src/graphql/schema/graphql-names';
import { valueTypeOf } from 'src/graphql/schema/model-sdl';
import { expandEntity } from 'src/ngsi-ld/representation/entity-expander';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * MIM2: every Smart Data Models example (normalized and key-values) is written through NGSI-LD
 * into a dataset that conforms to its model, read back attribute by attribute, and validated by
 * the registry's derived schema; writes that violate a declared model are refused, and datasets
 * without one accept anything as before.
 */

/** The reference files: VGDS_REFERENCE_DIR, else ../shared/reference beside the repository, else /work/shared/reference. */
function referenceDir(): string {
  const repoRoot = resolve(__dirname, '..', '..');
  const candidates = [process.env.VGDS_REFERENCE_DIR, resolve(repoRoot, '..', 'shared', 'reference'), '/work/shared/reference'];
  const found = candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'smart-data-models')));
  if (!found) throw new Error(`No reference files in ${candidates.filter(Boolean).join(', ')} (set VGDS_REFERENCE_DIR)`);
  return join(found, 'smart-data-models');
}
const SDM = referenceDir();
type Example = Record<string, unknown> & { id: string; type: string; '@context': string | string[] };
const example = (model: string, file: string): Example => JSON.parse(readFileSync(join(SDM, model, file), 'utf8')) as Example;

const LD = { 'content-type': 'application/ld+json' };
const BAD_REQUEST_DATA = 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData';
const WQ_CONTEXT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.WaterQuality/master/context.jsonld';
const link = (url: string) => ({ link: `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` });

/**
 * Examples the service cannot accept as published, and why. Each is asserted as a refusal with
 * that reason below, not skipped.
 */
const NOT_ACCEPTED: Record<string, { reason: string; detail: RegExp }> = {
  'AirQualityObserved/example-normalized.jsonld': {
    reason: 'it violates its own published schema: dateObserved has no time zone (date-time needs one), tsp 73.3 is not an integer, windDirection 186 is above 180',
    detail: /dateObserved: must be a date-time \(AirQualityObserved\); tsp: must be an integer \(AirQualityObserved\); windDirection: must be <= 180/,
  },
  'AirQualityObserved/example.jsonld': {
    reason: 'its dateObserved has no time zone, which the schema (format date-time) requires',
    detail: /dateObserved: must be a date-time \(AirQualityObserved\)/,
  },
  'Device/example-normalized.jsonld': {
    reason: 'its attribute "value" is the NGSI-LD core term value (ngsi-ld:hasValue), which cannot name an attribute',
    detail: /"value" is an NGSI-LD member name and cannot name an attribute/,
  },
  'Device/example.jsonld': {
    reason: 'its attribute "value" is the NGSI-LD core term value (ngsi-ld:hasValue), which cannot name an attribute',
    detail: /"value" is an NGSI-LD member name and cannot name an attribute/,
  },
  'DeviceMeasurement/example-normalized.jsonld': {
    reason: 'it writes location as a Property, where NGSI-LD and the model (Location-Commons) make it a GeoProperty',
    detail: /"location" must be a GeoProperty/,
  },
};

let idp: IdentityProvider;
let t: TestApp;
let registry: ModelRegistry;
let admin: Record<string, string>;
const datasets = new Map<string, string>();

/** A key-values example in normalized form: each member an attribute of the kind the model gives it. */
function normalizedOf(model: DataModel, keyValues: Example): Example {
  const out: Example = { id: `${keyValues.id}:keyValues`, type: keyValues.type, '@context': keyValues['@context'] };
  for (const [name, value] of Object.entries(keyValues)) {
    if (name === 'id' || name === 'type' || name === '@context') continue;
    const kind = model.attributes.find((a) => a.name === name)?.kind ?? 'Property';
    out[name] = kind === 'Relationship' ? { type: kind, object: value } : { type: kind, value };
  }
  return out;
}

/** A value as compared: typed literals ({"@type": "DateTime", "@value"}) by their value. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null && '@value' in value) return (value as { '@value': unknown })['@value'];
  return value;
}

/** What the example says of an attribute, as a read-back shows it (the kind and its value member). */
function expected(attribute: Record<string, unknown>): Record<string, unknown> {
  const kind = attribute.type as string;
  const member = kind === 'Relationship' ? 'object' : 'value';
  return { type: kind, [member]: plain(attribute[member]), ...(attribute.unitCode ? { unitCode: attribute.unitCode } : {}) };
}

function createDataset(body: Record<string, unknown>) {
  return request(t.http)
    .post('/api/v1/datasets')
    .set(admin)
    .send({ title: { sv: 'Modelltest' }, description: { sv: 'Entiteter enligt en datamodell' }, classification: { confidentiality: 0, integrity: 1, availability: 1 }, ...body });
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env);
  registry = t.app.get(ModelRegistry);
  admin = await idp.bearer({ sub: 'admin-e2e', organisation: 'e2e', roles: ['admin'], amr: ['pwd', 'otp'] });
  for (const model of registry.all()) {
    const res = await createDataset({ conformsTo: model.name }).expect(201);
    datasets.set(model.name, res.body.id);
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

describe('conformsTo on datasets', () => {
  it('is stored as the schema URL, shown with the model name, and may be given as type IRI or schema URL', async () => {
    const water = registry.byName('WaterQualityObserved')!;
    const res = await request(t.http).get(`/api/v1/datasets/${datasets.get('WaterQualityObserved')}`).set(admin).expect(200);
    expect(res.body).toMatchObject({ conformsTo: water.schemaUrl, dataModel: 'WaterQualityObserved' });
    for (const conformsTo of [water.typeIri, water.schemaUrl]) {
      expect((await createDataset({ conformsTo }).expect(201)).body.conformsTo).toBe(water.schemaUrl);
    }
  });

  it('refuses an unknown model, naming the known ones', async () => {
    const res = await createDataset({ conformsTo: 'BathingWaterQuality' }).expect(400);
    expect(res.body.detail).toMatch(/conformsTo: BathingWaterQuality is not a known data model; known are AirQualityObserved, .*WeatherObserved/);
  });

  it('can be changed and cleared', async () => {
    const id = (await createDataset({ conformsTo: 'Streetlight' }).expect(201)).body.id;
    expect((await request(t.http).patch(`/api/v1/datasets/${id}`).set(admin).send({ conformsTo: 'WasteContainer' }).expect(200)).body.dataModel).toBe('WasteContainer');
    const cleared = await request(t.http).patch(`/api/v1/datasets/${id}`).set(admin).send({ conformsTo: null }).expect(200);
    expect(cleared.body.conformsTo).toBeUndefined();
  });
});

describe.each(['WeatherObserved', 'AirQualityObserved', 'WaterQualityObserved', 'WasteContainer', 'Streetlight', 'WaterConsumptionObserved', 'CrowdFlowObserved', 'Device', 'DeviceMeasurement', 'Alert', 'GreenspaceRecord'])(
  'the %s examples',
  (name) => {
    const cases = [
      { file: 'example-normalized.jsonld', form: 'normalized' },
      { file: 'example.jsonld', form: 'key-values (written normalized: the service takes no keyValues writes)' },
    ];
    for (const { file, form } of cases) {
      const refusal = NOT_ACCEPTED[`${name}/${file}`];
      const payload = () => {
        const model = registry.byName(name)!;
        return file === 'example.jsonld' ? normalizedOf(model, example(name, file)) : { ...example(name, file), id: `${example(name, file).id}:normalized` };
      };
      const post = (body: Example) => request(t.http).post('/ngsi-ld/v1/entities').set({ ...LD, 'vgds-dataset': datasets.get(name)! }).send(JSON.stringify(body));

      if (refusal) {
        it(`refuses the ${form} example, as ${refusal.reason}`, async () => {
          const res = await post(payload()).expect(400);
          expect(res.body.type).toBe(BAD_REQUEST_DATA);
          expect(res.body.detail).toMatch(refusal.detail);
        });
        continue;
      }

      it(`accepts the ${form} example and reads it back attribute by attribute`, async () => {
        const body = payload();
        await post(body).expect(201);
        const model = registry.byName(name)!;
        const res = await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(body.id)}`).set(link(model.contextUrls[0])).expect(200);
        expect(res.body.type).toBe(name);
        for (const [attribute, value] of Object.entries(body)) {
          if (attribute === 'id' || attribute === 'type' || attribute === '@context') continue;
          const read = res.body[attribute] as Record<string, unknown>;
          const shown = { type: read?.type, [read?.type === 'Relationship' ? 'object' : 'value']: plain(read?.[read?.type === 'Relationship' ? 'object' : 'value']), ...(read?.unitCode ? { unitCode: read.unitCode } : {}) };
          expect([attribute, shown]).toEqual([attribute, expected(value as Record<string, unknown>)]);
        }
      });

      it(`reads the ${form} example back through GraphQL with its typed fields`, async () => {
        const model = registry.byName(name)!;
        const body = payload();
        await post(body).expect((res) => expect([201, 409]).toContain(res.status)); // 409: the NGSI-LD test wrote it already
        const attributes = Object.keys(body)
          .map((key) => model.attributes.find((attribute) => attribute.name === key))
          .filter((attribute) => attribute !== undefined);
        const selections = attributes.map((attribute) => (attribute.kind === 'Relationship' ? `${attributeFieldOf(attribute)} { object }` : valueFieldOf(attribute)));
        const query = `query($id: ID!) { entity(id: $id) { __typename ... on ${typeNameOf(model)} { ${selections.join(' ')} } } }`;
        const res = await request(t.http).post('/graphql').send({ query, variables: { id: body.id } }).expect(200);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.entity.__typename).toBe(typeNameOf(model));
        for (const attribute of attributes) {
          const written = expected(body[attribute.name] as Record<string, unknown>);
          if (attribute.kind === 'Relationship') {
            expect([attribute.name, res.body.data.entity[attributeFieldOf(attribute)].object]).toEqual([attribute.name, written.object]);
            continue;
          }
          const read = res.body.data.entity[valueFieldOf(attribute)];
          // DateTime answers are ISO 8601 in UTC with milliseconds: the same instant as written.
          const same = valueTypeOf(attribute) === 'DateTime' ? new Date(read).getTime() === new Date(written.value as string).getTime() : undefined;
          expect([attribute.name, same ?? read]).toEqual([attribute.name, same === undefined ? written.value : true]);
        }
      });

      it(`validates the ${form} example against the registry's derived schema`, async () => {
        const model = registry.byName(name)!;
        const body = payload();
        const context = await t.app.get(ContextCompiler).compile(body['@context']);
        const expanded = expandEntity(context.compiled, body, new Date().toISOString());
        expect(t.app.get(ModelValidator).violations(model, expanded, 'create')).toEqual([]);
      });
    }
  },
);

describe('writes that violate the declared model', () => {
  const WQ = 'urn:ngsi-ld:WaterQualityObserved:e2e-invalid';
  const json = { 'content-type': 'application/json', ...link(WQ_CONTEXT) };
  const valid = (id: string) => ({
    id,
    type: 'WaterQualityObserved',
    dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-06-01T10:00:00Z' } },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.97, 57.7] } },
    temperature: { type: 'Property', value: 18.5 },
    Al: { type: 'Property', value: 0.1, unitCode: 'M1' },
  });
  const into = () => ({ ...json, 'vgds-dataset': datasets.get('WaterQualityObserved')! });
  const refusedWith = (res: request.Response, detail: string) => {
    expect(res.body.type).toBe(BAD_REQUEST_DATA);
    expect(res.body.detail).toContain(detail);
  };

  beforeAll(async () => {
    await request(t.http).post('/ngsi-ld/v1/entities').set(into()).send(valid(WQ)).expect(201);
  });

  it('refuses a new entity with a wrong value type, naming the attribute and the rule', async () => {
    const res = await request(t.http).post('/ngsi-ld/v1/entities').set(into()).send({ ...valid(`${WQ}:2`), temperature: { type: 'Property', value: 'warm' } }).expect(400);
    refusedWith(res, 'temperature: must be a number (WaterQualityObserved)');
  });

  it('refuses a new entity without the attributes the model requires', async () => {
    const { location: _location, ...rest } = valid(`${WQ}:3`);
    refusedWith(await request(t.http).post('/ngsi-ld/v1/entities').set(into()).send(rest).expect(400), 'location: is required');
  });

  it('refuses a partial update (PATCH /attrs) breaking a bound, and takes a good one without the required attributes', async () => {
    const res = await request(t.http).patch(`/ngsi-ld/v1/entities/${WQ}/attrs`).set(json).send({ Al: { type: 'Property', value: -0.5 } }).expect(400);
    refusedWith(res, 'Al: must be >= 0 (WaterQualityObserved)');
    await request(t.http).patch(`/ngsi-ld/v1/entities/${WQ}/attrs`).set(json).send({ temperature: { type: 'Property', value: 19 } }).expect(204);
  });

  it('refuses an append (POST /attrs) of a relationship written as a Property', async () => {
    const res = await request(t.http).post(`/ngsi-ld/v1/entities/${WQ}/attrs`).set(json).send({ refPointOfInterest: { type: 'Property', value: 'urn:ngsi-ld:PointOfInterest:beach' } }).expect(400);
    refusedWith(res, 'refPointOfInterest: must be a Relationship (WaterQualityObserved)');
    await request(t.http).post(`/ngsi-ld/v1/entities/${WQ}/attrs`).set(json).send({ refPointOfInterest: { type: 'Relationship', object: 'urn:ngsi-ld:PointOfInterest:beach' } }).expect(204);
  });

  it('reports a violating entity of a batch upsert among the errors, and writes the others', async () => {
    const bad = { ...valid(`${WQ}:batch-bad`), pH: { type: 'Property', value: 'neutral' } };
    const res = await request(t.http).post('/ngsi-ld/v1/entityOperations/upsert').set(into()).send([valid(`${WQ}:batch-good`), bad]).expect(207);
    expect(res.body.success).toEqual([`${WQ}:batch-good`]);
    expect(res.body.errors).toEqual([{ entityId: `${WQ}:batch-bad`, error: expect.objectContaining({ type: BAD_REQUEST_DATA, detail: expect.stringContaining('pH: must be a number (WaterQualityObserved)') }) }]);
  });

  it('leaves datasets without a model as they were: anything is accepted', async () => {
    await request(t.http).post('/ngsi-ld/v1/entities').set(json).send({ ...valid(`${WQ}:free`), temperature: { type: 'Property', value: 'warm' } }).expect(201);
  });
});
