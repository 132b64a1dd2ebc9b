import request from 'supertest';
import { cellCentre } from 'src/governance/privacy/views/minimise';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Bulk downloads of a dataset (/api/v1/datasets/{id}/download/...). Göteborg publishes open
 * bathing-water readings (no data model), open weather observations (WeatherObserved) and K2
 * people counters with personal data, granted to Borås through the minimised view. Anyone
 * downloads the open ones; the counters follow the access rules and views of any read.
 */

const LICENCE = 'https://creativecommons.org/publicdomain/zero/1.0/';
const WO_CONTEXT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Weather/master/context.jsonld';
const PURPOSE = { 'vgds-purpose': 'dpv:ServiceProvision' };
const T1 = '2026-11-30T10:17:23.000Z';
const T2 = '2026-11-30T10:27:23.000Z';
const COUNTER_POINT = [11.97461, 57.70887];
const ld = { 'content-type': 'application/ld+json' };
const json = { 'content-type': 'application/json' };

let idp: IdentityProvider;
let t: TestApp;
const ds = {} as Record<'beaches' | 'weather' | 'counters', string>;
const as = {} as Record<'platform' | 'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasMember' | 'alingsasMember', Record<string, string>>;

const download = (dataset: string, file: string, headers: Record<string, string> = {}) =>
  request(t.http).get(`/api/v1/datasets/${dataset}/download/${file}`).set(headers);

/** RFC 4180, enough for what the service writes: quoted fields with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Rows as objects by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

const property = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra });
const point = (coordinates: number[]) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates } });

async function createDataset(body: Record<string, unknown>): Promise<string> {
  const res = await request(t.http).post('/api/v1/datasets').set(as.gbgAdmin).send({ description: { sv: 'Testdata' }, ...body }).expect(201);
  return res.body.id as string;
}

async function write(entity: Record<string, unknown>, headers: Record<string, string> = json): Promise<void> {
  await request(t.http).post('/ngsi-ld/v1/entities').set({ ...as.gbgWriter, ...headers }).send(JSON.stringify(entity)).expect(201);
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ ...idp.env, READ_LOG_FLUSH_MS: '50' }, { caller: 'anonymous' });
  as.platform = await idp.bearer({ sub: 'platform', roles: ['platform-admin'], amr: ['pwd', 'otp'] });
  as.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  as.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  as.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  as.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  as.alingsasMember = await idp.bearer({ sub: 'member-alingsas', organisation: 'alingsas' });
  await request(t.http)
    .post('/api/v1/organisations')
    .set(as.platform)
    .send({ id: 'goteborg', name: { sv: 'Göteborgs Stad' }, organisationNumber: '212000-1355', kind: 'municipality' })
    .expect(201);
  const open = { classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true, licence: LICENCE };
  ds.beaches = await createDataset({ ...open, title: { sv: 'Badtemperaturer i Göteborg' }, entities: [{ type: 'Beach' }] });
  ds.weather = await createDataset({ ...open, title: { sv: 'Väder' }, conformsTo: 'WeatherObserved', jsonldContext: WO_CONTEXT, entities: [{ type: 'WeatherObserved' }] });
  ds.counters = await createDataset({
    title: { sv: 'Personräknare' },
    entities: [{ type: 'PeopleCounter' }],
    classification: { confidentiality: 2, integrity: 1, availability: 1 },
    personalData: { category: 'pseudonymised', legalBasis: ['dpv:PublicInterest'], purposes: ['dpv:ServiceProvision'], identifyingAttributes: ['refPerson'], minimisation: { locationGrid: 500, timeResolution: 'PT1H' } },
  });
  await request(t.http).post(`/api/v1/datasets/${ds.counters}/grants`).set(as.gbgAdmin).send({ organisation: 'boras', view: 'minimised' }).expect(201);

  await write({ id: 'urn:ngsi-ld:Beach:askim', type: 'Beach', name: property('Askimsbadet'), temperature: property(15.9, { unitCode: 'CEL', observedAt: T1 }), open: property(true), location: point([11.93, 57.63]), refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:17' } });
  await write({ id: 'urn:ngsi-ld:Beach:saltholmen', type: 'Beach', name: property('=HYPERLINK("http://evil.example")'), note: property('Saltholmen, "södra"\nbryggan'), temperature: property(-1.5, { unitCode: 'CEL', observedAt: T1 }) });
  await write({ id: 'urn:ngsi-ld:Beach:area', type: 'Beach', location: { type: 'GeoProperty', value: { type: 'Polygon', coordinates: [[[11.9, 57.6], [12, 57.6], [12, 57.7], [11.9, 57.6]]] } } });
  await request(t.http).patch('/ngsi-ld/v1/entities/urn:ngsi-ld:Beach:askim/attrs').set({ ...as.gbgWriter, ...json }).send(JSON.stringify({ temperature: property(16.5, { unitCode: 'CEL', observedAt: T2 }) })).expect(204);
  await write(
    { '@context': WO_CONTEXT, id: 'urn:ngsi-ld:WeatherObserved:lindholmen', type: 'WeatherObserved', dateObserved: property(T1), location: point([11.9375, 57.7072]), dewPoint: property(3.2, { unitCode: 'CEL' }), temperature: property(8.4) },
    ld,
  );
  await write({ id: 'urn:ngsi-ld:PeopleCounter:gate', type: 'PeopleCounter', peopleCount: property(17, { observedAt: T1 }), refPerson: { type: 'Relationship', object: 'urn:ngsi-ld:Person:resident-42' }, location: point(COUNTER_POINT) });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

describe('an open dataset, without credentials', () => {
  it('downloads the current state as CSV: one column per attribute, units in the header, location as coordinates and WKT', async () => {
    const res = await download(ds.beaches, 'current.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe('attachment; filename="badtemperaturer-i-goteborg-current.csv"');
    expect(res.headers.link).toBe(`<${LICENCE}>; rel="license"`);
    expect(res.headers['vgds-attribution']).toBe("UTF-8''G%C3%B6teborgs%20Stad%20%28goteborg%29");
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toMatch(/^W\/".+"$/);
    expect(new Date(res.headers['last-modified']).getTime()).toBeGreaterThan(0);
    expect(res.text.split('\r\n')[0]).toBe('id,type,name,note,open,refDevice,temperature [CEL],longitude,latitude,location,observedAt');
    const rows = records(res.text);
    expect(rows.map((row) => row.id)).toEqual(['urn:ngsi-ld:Beach:area', 'urn:ngsi-ld:Beach:askim', 'urn:ngsi-ld:Beach:saltholmen']);
    expect(rows[1]).toMatchObject({ type: 'Beach', name: 'Askimsbadet', open: 'true', refDevice: 'urn:ngsi-ld:Device:17', 'temperature [CEL]': '16.5', longitude: '11.93', latitude: '57.63', location: 'POINT (11.93 57.63)', observedAt: T2 });
    expect(rows[0]).toMatchObject({ longitude: '', location: 'POLYGON ((11.9 57.6, 12 57.6, 12 57.7, 11.9 57.6))' });
    // Quoting survives commas, quotes and line breaks; a formula is defused, a negative number is not.
    expect(rows[2]).toMatchObject({ name: `'=HYPERLINK("http://evil.example")`, note: 'Saltholmen, "södra"\nbryggan', 'temperature [CEL]': '-1.5' });
  });

  it('downloads GeoJSON: the features NGSI-LD answers in the simplified representation', async () => {
    const res = await download(ds.beaches, 'current.geojson').expect(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const body = JSON.parse(res.text);
    const ngsi = await request(t.http).get('/ngsi-ld/v1/entities?type=Beach&format=keyValues').set({ accept: 'application/geo+json' }).expect(200);
    expect(body).toEqual({ type: 'FeatureCollection', '@context': ngsi.body['@context'], features: ngsi.body.features });
    expect(body.features[1].geometry).toEqual({ type: 'Point', coordinates: [11.93, 57.63] });
  });

  it('downloads NGSI-LD: the entities GET /ngsi-ld/v1/entities answers, normalized, each with its @context', async () => {
    const res = await download(ds.beaches, 'current.jsonld').expect(200);
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="badtemperaturer-i-goteborg-current.jsonld"');
    const ngsi = await request(t.http).get('/ngsi-ld/v1/entities?type=Beach').set({ accept: 'application/ld+json' }).expect(200);
    expect(JSON.parse(res.text)).toEqual(ngsi.body);
    expect(ngsi.body).toHaveLength(3);
  });

  it('names the columns by the data model the dataset declares, with its units', async () => {
    const res = await download(ds.weather, 'current.csv').expect(200);
    const header = parseCsv(res.text)[0];
    expect(header.slice(0, 2)).toEqual(['id', 'type']);
    expect(header).toEqual(expect.arrayContaining(['dewPoint [CEL]', 'temperature', 'dateObserved', 'atmosphericPressure [A97]']));
    expect(records(res.text)[0]).toMatchObject({ id: 'urn:ngsi-ld:WeatherObserved:lindholmen', type: 'WeatherObserved', 'dewPoint [CEL]': '3.2', temperature: '8.4', longitude: '11.9375' });
    const ngsi = await request(t.http).get('/ngsi-ld/v1/entities?type=WeatherObserved').set({ accept: 'application/ld+json', link: `<${WO_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` }).expect(200);
    expect(JSON.parse((await download(ds.weather, 'current.jsonld').expect(200)).text)).toEqual(ngsi.body);
  });

  it('downloads the history of a period in long format', async () => {
    const res = await download(ds.beaches, 'history.csv?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z').expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="badtemperaturer-i-goteborg-history-20261130-20261201.csv"');
    const rows = records(res.text).filter((row) => row.entityId === 'urn:ngsi-ld:Beach:askim' && row.attribute === 'temperature');
    expect(rows).toEqual([
      { entityId: 'urn:ngsi-ld:Beach:askim', attribute: 'temperature', observedAt: T1, value: '15.9', unitCode: 'CEL', datasetId: '' },
      { entityId: 'urn:ngsi-ld:Beach:askim', attribute: 'temperature', observedAt: T2, value: '16.5', unitCode: 'CEL', datasetId: '' },
    ]);
    const narrow = await download(ds.beaches, 'history.csv?from=2026-11-30T10:20:00Z&to=2026-11-30T11:00:00Z').expect(200);
    expect(records(narrow.text).map((row) => [row.entityId, row.attribute, row.observedAt])).toEqual([['urn:ngsi-ld:Beach:askim', 'temperature', T2]]);
  });

  it('refuses a missing, invalid, reversed or too long period, and unknown parameters, with problem details', async () => {
    for (const query of ['', '?from=2026-11-30T00:00:00Z', '?from=yesterday&to=2026-12-01T00:00:00Z', '?from=2026-12-01T00:00:00Z&to=2026-11-30T00:00:00Z', '?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z']) {
      const res = await download(ds.beaches, `history.csv${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
    await download(ds.beaches, 'current.csv?limit=5').expect(400);
  });
});

describe('conditional requests and compression', () => {
  it('answers 304 to If-None-Match and If-Modified-Since, and a new ETag once the data changed', async () => {
    const first = await download(ds.beaches, 'current.csv').expect(200);
    const etag = first.headers.etag;
    const again = await download(ds.beaches, 'current.csv', { 'if-none-match': etag }).expect(304);
    expect(again.headers.etag).toBe(etag);
    expect(again.text).toBe('');
    await download(ds.beaches, 'current.csv', { 'if-modified-since': first.headers['last-modified'] }).expect(304);
    // Another format is another representation.
    await download(ds.beaches, 'current.geojson', { 'if-none-match': etag }).expect(200);
    await request(t.http).post('/ngsi-ld/v1/entities/urn:ngsi-ld:Beach:area/attrs').set({ ...as.gbgWriter, ...json }).send(JSON.stringify({ name: property('Området') })).expect(204);
    const changed = await download(ds.beaches, 'current.csv', { 'if-none-match': etag }).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('answers HEAD with the headers of the download and no body', async () => {
    const res = await request(t.http).head(`/api/v1/datasets/${ds.beaches}/download/current.csv`).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="badtemperaturer-i-goteborg-current.csv"');
    expect(res.headers.etag).toMatch(/^W\//);
    expect(res.text ?? '').toBe('');
    await request(t.http).head(`/api/v1/datasets/${ds.counters}/download/current.csv`).expect(404);
  });

  it('compresses with gzip when the client takes it', async () => {
    const gzip = await download(ds.beaches, 'current.csv', { 'accept-encoding': 'gzip' }).expect(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toMatch(/Accept-Encoding/);
    const plain = await download(ds.beaches, 'current.csv', { 'accept-encoding': 'identity' }).expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzip.text).toBe(plain.text);
    await download(ds.beaches, 'current.jsonld', { 'accept-encoding': 'gzip;q=0, br' }).expect(200).expect((res) => expect(res.headers['content-encoding']).toBeUndefined());
  });
});

describe('a restricted dataset with personal data', () => {
  const files = ['current.csv', 'current.geojson', 'current.jsonld', 'history.csv?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z'];

  it('is not found for callers who may not see it, on every download', async () => {
    for (const file of files) {
      expect((await download(ds.counters, file).expect(404)).body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
      await download(ds.counters, file, { ...as.alingsasMember, ...PURPOSE }).expect(404);
    }
    await download('00000000-0000-4000-8000-000000000000', 'current.csv').expect(404);
    await download('not-a-dataset', 'current.csv').expect(404);
  });

  it('is forbidden to a caller who sees it but may not read it: a key of its organisation scoped to another dataset', async () => {
    const res = await request(t.http).post('/api/v1/api-keys').set(as.gbgAdmin).send({ name: 'beaches only', organisation: 'goteborg', datasets: [ds.beaches] }).expect(201);
    const key = { 'x-api-key': res.body.key as string, ...PURPOSE };
    await download(ds.beaches, 'current.csv', key).expect(200);
    expect((await download(ds.counters, 'current.csv', key).expect(403)).body.type).toBe('urn:vg-datashare:problem:forbidden');
  });

  it('needs a purpose the dataset allows, from its owner too', async () => {
    for (const file of files) {
      expect((await download(ds.counters, file, as.gbgMember).expect(403)).body).toMatchObject({ type: 'urn:vg-datashare:problem:purpose-required', allowedPurposes: ['dpv:ServiceProvision'] });
    }
  });

  it('gives its owner the full view, privately cached', async () => {
    const res = await download(ds.counters, 'current.csv', { ...as.gbgMember, ...PURPOSE }).expect(200);
    expect(res.headers['vgds-view']).toBe('full');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(records(res.text)[0]).toMatchObject({ refPerson: 'urn:ngsi-ld:Person:resident-42', longitude: String(COUNTER_POINT[0]), observedAt: T1 });
  });

  it('gives a grantee with view minimised the minimised view on every row: no identifying attributes, coarse locations and times', async () => {
    const [lon, lat] = cellCentre(COUNTER_POINT[0], COUNTER_POINT[1], 500);
    const csv = await download(ds.counters, 'current.csv', { ...as.borasMember, ...PURPOSE }).expect(200);
    expect(csv.headers['vgds-view']).toBe('minimised');
    expect(parseCsv(csv.text)[0]).not.toContain('refPerson');
    expect(csv.text).not.toContain('resident-42');
    expect(records(csv.text)[0]).toMatchObject({ peopleCount: '17', longitude: String(lon), latitude: String(lat), observedAt: '2026-11-30T10:00:00.000Z' });
    const geo = JSON.parse((await download(ds.counters, 'current.geojson', { ...as.borasMember, ...PURPOSE }).expect(200)).text);
    expect(geo.features[0].geometry.coordinates).toEqual([lon, lat]);
    expect(geo.features[0].properties.refPerson).toBeUndefined();
    const entities = JSON.parse((await download(ds.counters, 'current.jsonld', { ...as.borasMember, ...PURPOSE }).expect(200)).text);
    const single = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:PeopleCounter:gate').set({ ...as.borasMember, ...PURPOSE, accept: 'application/ld+json' }).expect(200);
    expect(entities).toEqual([single.body]);
    const history = await download(ds.counters, files[3], { ...as.borasMember, ...PURPOSE }).expect(200);
    expect(records(history.text)).toEqual([{ entityId: 'urn:ngsi-ld:PeopleCounter:gate', attribute: 'peopleCount', observedAt: '2026-11-30T10:00:00.000Z', value: '17', unitCode: '', datasetId: '' }]);
  });

  it('lands in the read log of the owning organisation', async () => {
    await download(ds.counters, 'current.geojson', { ...as.borasMember, ...PURPOSE }).expect(200);
    const reads = async () => (await request(t.http).get(`/api/v1/datasets/${ds.counters}/reads?principal=member-boras`).set(as.gbgAdmin).expect(200)).body as { readPath: string }[];
    let entries = await reads();
    for (let i = 0; !entries.some((e) => e.readPath.includes('current.geojson')) && i < 50; i++) entries = await new Promise((r) => setTimeout(r, 100)).then(reads);
    expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ readPath: 'GET /api/v1/datasets/:datasetId/download/current.geojson', view: 'minimised', purpose: 'dpv:ServiceProvision', items: 1 })]));
  });
});

describe('a failure in the middle of a download', () => {
  it('ends that download early and leaves the service running', async () => {
    const repository = t.app.get(EntitiesRepository);
    const original = repository.pageOfDataset.bind(repository);
    const spy = jest.spyOn(repository, 'pageOfDataset');
    // A full first page (so that a second is asked for), then the database fails.
    spy.mockImplementationOnce(async (...args) => {
      const [first] = await original(...args);
      return Array.from({ length: args[4] }, (_, i) => ({ ...first, id: `${first.id}:${String(i).padStart(4, '0')}` }));
    });
    spy.mockRejectedValueOnce(new Error('connection terminated'));
    try {
      const outcome = await download(ds.beaches, 'current.csv').then(
        (res) => ({ status: res.status, complete: true }),
        (error: Error) => ({ status: 0, complete: false, error: error.message }),
      );
      expect(outcome.complete).toBe(false);
    } finally {
      spy.mockRestore();
    }
    await download(ds.beaches, 'current.csv').expect(200);
  });
});
