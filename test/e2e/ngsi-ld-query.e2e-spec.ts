import request from 'supertest';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { expandQ } from 'src/ngsi-ld/query/entity-filter';
import { parseQ } from 'src/ngsi-ld/query/q-parser';
import { startTestApp, TestApp } from 'test/support/test-app';

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
let t: TestApp;

/** Bathing places, weather stations and bins around Gothenburg, in the default vocabulary. */
const ENTITIES = [
  {
    id: 'urn:ngsi-ld:WaterQualityObserved:askim',
    type: 'WaterQualityObserved',
    scope: ['/Gothenburg/Askim'],
    temperature: [
      { type: 'Property', value: 19.5, unitCode: 'CEL', observedAt: '2026-07-01T08:00:00Z', accuracy: { type: 'Property', value: 0.1 } },
      { type: 'Property', value: 18.9, unitCode: 'CEL', datasetId: 'urn:ngsi-ld:Dataset:smhi' },
    ],
    name: { type: 'LanguageProperty', languageMap: { sv: 'Askimsbadet', en: 'Askim beach' } },
    status: { type: 'VocabProperty', vocab: 'open' },
    open: { type: 'Property', value: true },
    dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-07-01T08:00:00Z' } },
    address: { type: 'Property', value: { streetAddress: 'Askims strandväg', postalCode: '436 51' } },
    refPointOfInterest: { type: 'Relationship', object: 'urn:ngsi-ld:PointOfInterest:askim' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9278, 57.6297] } },
  },
  {
    id: 'urn:ngsi-ld:WaterQualityObserved:saltholmen',
    type: 'WaterQualityObserved',
    scope: ['/Gothenburg/Styrso', '/Gothenburg/Saltholmen'],
    temperature: { type: 'Property', value: 17.2, unitCode: 'CEL', observedAt: '2026-07-01T09:00:00Z' },
    name: { type: 'LanguageProperty', languageMap: { sv: 'Saltholmens bad', en: 'Saltholmen bath' } },
    status: { type: 'VocabProperty', vocab: 'closed' },
    open: { type: 'Property', value: false },
    dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-07-01T09:00:00Z' } },
    readings: { type: 'ListProperty', valueList: [16.8, 17.2, 17.9] },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.8398, 57.6617] } },
  },
  {
    id: 'urn:ngsi-ld:WeatherObserved:lindholmen',
    type: ['WeatherObserved', 'Device'],
    scope: '/Gothenburg/Hisingen/Lindholmen',
    temperature: { type: 'Property', value: 8.4, unitCode: 'CEL', observedAt: '2026-11-20T10:00:00Z' },
    name: { type: 'Property', value: 'Lindholmen' },
    opens: { type: 'Property', value: '08:00:00' },
    day: { type: 'Property', value: '2026-11-20' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9375, 57.7072] } },
    observationSpace: {
      type: 'GeoProperty',
      value: { type: 'Polygon', coordinates: [[[11.93, 57.70], [11.95, 57.70], [11.95, 57.72], [11.93, 57.70]]] },
    },
  },
  {
    id: 'urn:ngsi-ld:WasteContainer:boras-1',
    type: 'WasteContainer',
    fillingLevel: { type: 'Property', value: 0.93 },
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:bin-sensor-1' },
    location: {
      type: 'GeoProperty',
      value: { type: 'LineString', coordinates: [[12.93, 57.72], [12.935, 57.725], [12.94, 57.73]] },
    },
  },
];

const get = (query: string, headers: Record<string, string> = {}) => request(t.http).get(`/ngsi-ld/v1/entities?${query}`).set(headers);
const ids = (res: request.Response): string[] => res.body.map((e: { id: string }) => e.id).sort();
const short = (id: string) => id.split(':').pop();
/** The last part of the ids found, sorted: "askim" for urn:ngsi-ld:WaterQualityObserved:askim. */
const names = (res: request.Response): string[] => ids(res).map((id) => short(id)!).sort();

beforeAll(async () => {
  t = await startTestApp({ QUERY_MAX_LIMIT: '100' });
  await request(t.http)
    .post('/ngsi-ld/v1/entityOperations/create')
    .set('content-type', 'application/json')
    .send(JSON.stringify(ENTITIES))
    .expect(201);
});
afterAll(async () => {
  await t?.close();
});

describe('q', () => {
  it.each([
    ['temperature>18', ['askim']],
    ['temperature>=17.2;temperature<18', ['saltholmen']],
    ['temperature==17..19', ['saltholmen', 'askim']],
    ['temperature!=19.5', ['saltholmen', 'lindholmen']],
    ['temperature==8.4,17.2', ['lindholmen', 'saltholmen']],
    ['fillingLevel>0.9|temperature<10', ['boras-1', 'lindholmen']],
    ['(temperature<10|temperature>19);!open', ['lindholmen']],
    ['open==true', ['askim']],
    ['open==false', ['saltholmen']],
    ['name=="Lindholmen"', ['lindholmen']],
    ['name=="Askimsbadet"', ['askim']],
    ['name~="^Salt"', ['saltholmen']],
    ['name!~="bad"', ['lindholmen']],
    ['status=="open"', ['askim']],
    ['status=="closed"', ['saltholmen']],
    ['status=="https://uri.etsi.org/ngsi-ld/default-context/closed"', ['saltholmen']],
    ['refDevice==urn:ngsi-ld:Device:bin-sensor-1', ['boras-1']],
    ['refPointOfInterest=="urn:ngsi-ld:PointOfInterest:askim"', ['askim']],
    ['readings>17.5', ['saltholmen']],
    ['dateObserved>2026-07-01T08:30:00Z', ['saltholmen']],
    ['dateObserved==2026-07-01T08:00:00Z..2026-07-01T08:59:59Z', ['askim']],
    ['temperature.observedAt>=2026-07-01T00:00:00Z;temperature.observedAt<2026-08-01T00:00:00Z', ['askim', 'saltholmen']],
    ['temperature.unitCode=="CEL";temperature<10', ['lindholmen']],
    ['temperature.accuracy<0.5', ['askim']],
    ['temperature.accuracy', ['askim']],
    ['address[streetAddress]=="Askims strandväg"', ['askim']],
    ['address[postalCode]~="^436"', ['askim']],
    ['address[streetAddress]', ['askim']],
    ['day==2026-11-20', ['lindholmen']],
    ['day>2026-01-01', ['lindholmen']],
    ['opens<09:00:00', ['lindholmen']],
    ['refDevice', ['boras-1']],
    ['!refDevice;!refPointOfInterest', ['lindholmen', 'saltholmen']],
  ])('q=%s', async (q, expected) => {
    const res = await get(`q=${encodeURIComponent(q)}`).expect(200);
    expect(names(res).sort()).toEqual([...expected].sort());
  });

  it('answers the same from the value index and from the JSON, for every comparison above and more', async () => {
    const repository = t.app.get(EntitiesRepository);
    const ctx = (await t.app.get(ContextCompiler).compile(undefined)).compiled;
    const comparisons = [
      'temperature>18', 'temperature==17..19', 'temperature!=19.5', 'temperature==8.4,17.2', 'open==true', 'open==false',
      'name=="Lindholmen"', 'name=="Askim beach"', 'name~="^Salt"', 'name!~="bad"', 'status=="open"', 'status=="closed"',
      'refDevice==urn:ngsi-ld:Device:bin-sensor-1', 'readings>17.5', 'readings==16.8', 'dateObserved>2026-07-01T08:30:00Z',
      'dateObserved=="2026-07-01T08:00:00Z"', 'temperature.observedAt>=2026-07-01T00:00:00Z', 'temperature.observedAt=="2026-07-01T09:00:00Z"',
      'day==2026-11-20', 'day>2026-01-01', 'opens<09:00:00', 'fillingLevel>=0.93', 'temperature<"5"', 'name>"M"',
    ];
    for (const text of comparisons) {
      const filter = { q: expandQ(ctx, parseQ(text)) };
      const byIndex = await repository.find('', [t.writer.datasetId], filter, 100, 0, { routes: 'index' });
      const byJson = await repository.find('', [t.writer.datasetId], filter, 100, 0, { routes: 'json' });
      expect({ text, ids: byIndex.map((e) => e.id) }).toEqual({ text, ids: byJson.map((e) => e.id) });
    }
  });

  it('uses the caller’s @context for names in q', async () => {
    await request(t.http)
      .post('/ngsi-ld/v1/entities')
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify({
        '@context': [{ temp: 'https://smartdatamodels.org/temperature' }],
        id: 'urn:ngsi-ld:Thermometer:1',
        type: 'Thermometer',
        temp: { type: 'Property', value: 30 },
      }))
      .expect(201);
    expect(ids(await get('q=temperature>25'))).toEqual([]);
    const link = '<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld>; rel="http://www.w3.org/ns/json-ld#context"';
    expect(ids(await get(`q=${encodeURIComponent('https://smartdatamodels.org/temperature>25')}`, { link }))).toEqual([]);
    const inlineContextUrl = encodeURIComponent('sdm:temperature>25');
    expect(ids(await get(`q=${inlineContextUrl}`))).toEqual([]); // "sdm" is no prefix of the core context
    const res = await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/query')
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify({ '@context': [{ temp: 'https://smartdatamodels.org/temperature' }], type: 'Query', q: 'temp>25' }))
      .expect(200);
    expect(ids(res)).toEqual(['urn:ngsi-ld:Thermometer:1']);
  });

  it.each([
    'temperature>',
    'temperature>>1',
    '(temperature>1',
    'temperature==1..',
    'name=="open',
    'temperature>1,2',
    'a.observedAt.b>1',
    'name~="("',
  ])('refuses q=%s with 400 BadRequestData', async (q) => {
    const res = await get(`q=${encodeURIComponent(q)}`).expect(400);
    expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
  });

  describe('dates that look right but do not exist', () => {
    const impossible = ['dateObserved>2026-02-30T00:00:00Z', 'day==2026-02-30', 'day==2026-04-31', 'day>0000-00-00', 'opens<25:00:00'];

    it.each(impossible)('refuses q=%s on GET /entities with 400 BadRequestData', async (q) => {
      const res = await get(`q=${encodeURIComponent(q)}`).expect(400);
      expect(res.body).toMatchObject({ type: `${ERRORS}BadRequestData`, detail: expect.stringMatching(/that exists/) });
    });

    it.each(impossible)('refuses q=%s on POST /entityOperations/query', async (q) => {
      const res = await request(t.http)
        .post('/ngsi-ld/v1/entityOperations/query')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ type: 'Query', q }))
        .expect(400);
      expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
    });

    it('refuses a subscription with such a q, and keeps none', async () => {
      const subscription = {
        type: 'Subscription',
        entities: [{ type: 'WeatherObserved' }],
        q: 'day==2026-02-30',
        notification: { endpoint: { uri: 'http://127.0.0.1:9/notify' } },
      };
      const res = await request(t.http).post('/ngsi-ld/v1/subscriptions').set('content-type', 'application/json').send(JSON.stringify(subscription)).expect(400);
      expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
      expect((await request(t.http).get('/ngsi-ld/v1/subscriptions').expect(200)).body).toEqual([]);
    });

    it('still takes the last day of February in a leap year', async () => {
      expect(ids(await get(`q=${encodeURIComponent('day<2028-02-29')}`))).toEqual(['urn:ngsi-ld:WeatherObserved:lindholmen']);
    });
  });
});

describe('types, ids and scopes', () => {
  it('reads the type expression language', async () => {
    expect(names(await get('type=WeatherObserved'))).toEqual(['lindholmen']);
    expect(names(await get('type=WasteContainer,WeatherObserved'))).toEqual(['boras-1', 'lindholmen']);
    expect(names(await get('type=WasteContainer|Device'))).toEqual(['boras-1', 'lindholmen']);
    expect(names(await get('type=WeatherObserved;Device'))).toEqual(['lindholmen']);
    expect(ids(await get('type=WaterQualityObserved;Device'))).toEqual([]);
    expect(names(await get(`type=${encodeURIComponent('(WeatherObserved;Device)|WasteContainer')}`))).toEqual(['boras-1', 'lindholmen']);
    expect((await get('type=(A;B')).status).toBe(400);
  });

  it('reads scopeQ, with wildcards', async () => {
    expect(names(await get(`scopeQ=${encodeURIComponent('/Gothenburg/Askim')}`))).toEqual(['askim']);
    expect(names(await get(`scopeQ=${encodeURIComponent('/Gothenburg/#')}`))).toEqual(['askim', 'lindholmen', 'saltholmen']);
    expect(names(await get(`scopeQ=${encodeURIComponent('/Gothenburg/+')}`))).toEqual(['askim', 'saltholmen']);
    expect(names(await get(`scopeQ=${encodeURIComponent('/Gothenburg/Styrso;/Gothenburg/Saltholmen')}`))).toEqual(['saltholmen']);
    expect(ids(await get(`scopeQ=${encodeURIComponent('/#')}`)).length).toBe(3);
    // "+" stands for one level anywhere in the path, not only at its end (clause 4.19).
    expect(names(await get(`scopeQ=${encodeURIComponent('/Gothenburg/+/Lindholmen')}`))).toEqual(['lindholmen']);
    expect(names(await get(`scopeQ=${encodeURIComponent('/+/Hisingen/#')}`))).toEqual(['lindholmen']);
    expect((await get('scopeQ=Gothenburg')).status).toBe(400);
  });

  it('combines id, idPattern, type and attrs', async () => {
    expect(names(await get('idPattern=WaterQuality&attrs=readings'))).toEqual(['saltholmen']);
    expect(names(await get('id=urn:ngsi-ld:WasteContainer:boras-1,urn:ngsi-ld:Nothing:1&type=WasteContainer'))).toEqual(['boras-1']);
  });
});

describe('geo-queries', () => {
  const geo = (georel: string, geometry: string, coordinates: unknown, extra = '') =>
    get(`georel=${encodeURIComponent(georel)}&geometry=${geometry}&coordinates=${encodeURIComponent(JSON.stringify(coordinates))}${extra}`);
  const harbourBox = [[[11.8, 57.6], [12.0, 57.6], [12.0, 57.75], [11.8, 57.75], [11.8, 57.6]]];

  it('near with maxDistance and minDistance, in metres', async () => {
    expect(names(await geo('near;maxDistance==2000', 'Point', [11.93, 57.63]))).toEqual(['askim']);
    expect(names(await geo('near;maxDistance==15000', 'Point', [11.93, 57.63]))).toEqual(['askim', 'lindholmen', 'saltholmen']);
    expect(names(await geo('near;minDistance==15000', 'Point', [11.93, 57.63]))).toEqual(['boras-1']);
    expect(names(await geo('near;minDistance==1000;maxDistance==15000', 'Point', [11.93, 57.63]))).toEqual(['lindholmen', 'saltholmen']);
    expect(names(await geo('near;maxDistance==1000', 'LineString', [[12.93, 57.70], [12.95, 57.70]]))).toEqual([]);
    expect(names(await geo('near;maxDistance==3000', 'LineString', [[12.93, 57.70], [12.95, 57.70]]))).toEqual(['boras-1']);
  });

  it('within, contains, intersects, overlaps, disjoint, equals', async () => {
    expect(names(await geo('within', 'Polygon', harbourBox))).toEqual(['askim', 'lindholmen', 'saltholmen']);
    expect(names(await geo('within', 'MultiPolygon', [harbourBox]))).toEqual(['askim', 'lindholmen', 'saltholmen']);
    expect(names(await geo('disjoint', 'Polygon', harbourBox))).toEqual(['boras-1']);
    expect(names(await geo('intersects', 'LineString', [[12.935, 57.70], [12.935, 57.74]]))).toEqual(['boras-1']);
    expect(names(await geo('contains', 'Point', [12.935, 57.725]))).toEqual(['boras-1']);
    expect(names(await geo('equals', 'Point', [11.9375, 57.7072]))).toEqual(['lindholmen']);
    expect(names(await geo('overlaps', 'LineString', [[12.935, 57.725], [12.94, 57.73], [12.95, 57.73]]))).toEqual(['boras-1']);
    expect(names(await geo('intersects', 'MultiPoint', [[11.9278, 57.6297], [0, 0]]))).toEqual(['askim']);
    expect(names(await geo('intersects', 'MultiLineString', [[[12.935, 57.70], [12.935, 57.74]]]))).toEqual(['boras-1']);
  });

  it('uses another GeoProperty with geoproperty', async () => {
    const res = await geo('contains', 'Point', [11.94, 57.705], '&geoproperty=observationSpace');
    expect(names(res)).toEqual(['lindholmen']);
  });

  it('combines with type and q', async () => {
    const res = await geo('within', 'Polygon', harbourBox, `&type=WaterQualityObserved&q=${encodeURIComponent('temperature>18')}`);
    expect(names(res)).toEqual(['askim']);
  });

  it.each([
    ['georel=near&geometry=Point&coordinates=[11,57]', /georel must be/],
    ['georel=within&geometry=Point', /all three/],
    ['georel=within&geometry=Polygon&coordinates=[[[1,1],[2,2],[3,1]]]', /valid Polygon/],
    ['georel=within&geometry=Point&coordinates=[1,', /JSON array/],
    ['georel=within&geometry=Point&coordinates=[190,1]', /longitude/],
  ])('refuses %s', async (query, detail) => {
    const res = await get(query.replace(/[[\]]/g, encodeURIComponent)).expect(400);
    expect(res.body.type).toBe(`${ERRORS}BadRequestData`);
    expect(res.body.detail).toMatch(detail);
  });
});

describe('representations of query results', () => {
  it('projects with pick and omit', async () => {
    const picked = await get('type=WaterQualityObserved&pick=id,temperature&options=keyValues').expect(200);
    expect(Object.keys(picked.body[0]).sort()).toEqual(['id', 'temperature']);
    const omitted = await get('type=WeatherObserved&omit=location,observationSpace,type&options=keyValues').expect(200);
    expect(omitted.body[0]).toEqual({ id: 'urn:ngsi-ld:WeatherObserved:lindholmen', scope: '/Gothenburg/Hisingen/Lindholmen', temperature: 8.4, name: 'Lindholmen', opens: '08:00:00', day: '2026-11-20' });
    expect((await get('type=X&pick=a&omit=b')).status).toBe(400);
  });

  it('shows languages with lang', async () => {
    const en = await get('id=urn:ngsi-ld:WaterQualityObserved:askim&lang=en&pick=name').expect(200);
    expect(en.body[0].name).toEqual({ type: 'Property', value: 'Askim beach', lang: 'en' });
    const sv = await get('id=urn:ngsi-ld:WaterQualityObserved:askim&lang=de,sv;q=0.5&pick=name&options=keyValues').expect(200);
    expect(sv.body[0].name).toBe('Askimsbadet');
    // "*" is any language (clause 4.15, Accept-Language syntax): one of them, as a Property.
    const any = await get('id=urn:ngsi-ld:WaterQualityObserved:askim&lang=*&pick=name').expect(200);
    expect(any.body[0].name).toEqual({ type: 'Property', value: 'Askim beach', lang: 'en' });
    expect((await get('type=X&lang=not a tag')).status).toBe(400);
  });

  it('selects instances with datasetId', async () => {
    const res = await get('id=urn:ngsi-ld:WaterQualityObserved:askim&datasetId=urn:ngsi-ld:Dataset:smhi&pick=temperature').expect(200);
    expect(res.body[0].temperature).toMatchObject({ value: 18.9, datasetId: 'urn:ngsi-ld:Dataset:smhi' });
  });

  it('answers GeoJSON with geometryProperty', async () => {
    const res = await get('type=WeatherObserved&options=keyValues').set('accept', 'application/geo+json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.body).toMatchObject({
      type: 'FeatureCollection',
      features: [{ id: 'urn:ngsi-ld:WeatherObserved:lindholmen', type: 'Feature', geometry: { type: 'Point', coordinates: [11.9375, 57.7072] } }],
    });
    expect(res.body.features[0].properties.temperature).toBe(8.4);
    const other = await get('type=WeatherObserved&geometryProperty=observationSpace').set('accept', 'application/geo+json').expect(200);
    expect(other.body.features[0].geometry.type).toBe('Polygon');
    const one = await request(t.http)
      .get('/ngsi-ld/v1/entities/urn:ngsi-ld:WasteContainer:boras-1')
      .set('accept', 'application/geo+json')
      .expect(200);
    expect(one.body).toMatchObject({ type: 'Feature', geometry: { type: 'LineString' }, properties: { fillingLevel: { value: 0.93 } } });
  });

  it('pages with count, and refuses pages above the maximum', async () => {
    const all = await get('type=WaterQualityObserved,WeatherObserved,WasteContainer&limit=2&count=true').expect(200);
    expect(all.body).toHaveLength(2);
    expect(all.headers['ngsild-results-count']).toBe('4');
    const rest = await get('type=WaterQualityObserved,WeatherObserved,WasteContainer&limit=2&offset=2').expect(200);
    expect(ids(rest)).not.toEqual(expect.arrayContaining(ids(all)));
    const tooMany = await get('type=X&limit=101').expect(403);
    expect(tooMany.body.type).toBe(`${ERRORS}TooManyResults`);
  });
});

describe('POST /entityOperations/query', () => {
  const post = (body: unknown, query = '') =>
    request(t.http).post(`/ngsi-ld/v1/entityOperations/query${query}`).set('content-type', 'application/json').send(JSON.stringify(body));

  it('takes the same query as GET, in a body', async () => {
    const res = await post(
      {
        type: 'Query',
        entities: [{ type: 'WaterQualityObserved' }, { id: 'urn:ngsi-ld:WasteContainer:boras-1' }],
        q: 'temperature>18|fillingLevel>0.5',
        attrs: ['temperature', 'fillingLevel'],
        geoQ: { georel: 'within', geometry: 'Polygon', coordinates: [[[11, 57], [13, 57], [13, 58], [11, 58], [11, 57]]] },
      },
      '?count=true&options=keyValues',
    ).expect(200);
    expect(names(res)).toEqual(['askim', 'boras-1']);
    expect(res.headers['ngsild-results-count']).toBe('2');
    expect(res.body[0]).not.toHaveProperty('name');
  });

  it.each([
    [{ entities: [{ type: 'X' }] }, /"type": "Query"/],
    [{ type: 'Query', entities: [] }, /non-empty array/],
    [{ type: 'Query', entities: [{}] }, /id, idPattern or type/],
    [{ type: 'Query', q: 'a>' }, /Invalid q/],
    [{ type: 'Query', geoQ: { georel: 'near', geometry: 'Point', coordinates: [1, 2] } }, /georel/],
    [{ type: 'Query', bogus: 1 }, /Unknown query member/],
    [[], /JSON object/],
  ])('refuses %p', async (body, detail) => {
    const res = await post(body).expect(400);
    expect(res.body.detail).toMatch(detail);
  });
});

describe('tenants', () => {
  it('says 404 NonexistentTenant when reading a tenant nothing was written to', async () => {
    for (const path of ['/ngsi-ld/v1/entities?type=X', '/ngsi-ld/v1/entities/urn:x:1', '/ngsi-ld/v1/types', '/ngsi-ld/v1/attributes']) {
      const res = await request(t.http).get(path).set('ngsild-tenant', 'vanersborg').expect(404);
      expect(res.body.type).toBe(`${ERRORS}NonexistentTenant`);
    }
  });

  it('creates a tenant on its first write and keeps it apart', async () => {
    await request(t.http)
      .post('/ngsi-ld/v1/entities')
      .set({ 'content-type': 'application/json', 'ngsild-tenant': 'trollhattan' })
      .send(JSON.stringify({ id: 'urn:ngsi-ld:WaterQualityObserved:askim', type: 'Lake' }))
      .expect(201);
    const res = await request(t.http).get('/ngsi-ld/v1/entities?type=Lake').set('ngsild-tenant', 'trollhattan').expect(200);
    expect(ids(res)).toEqual(['urn:ngsi-ld:WaterQualityObserved:askim']);
    expect(ids(await get('type=Lake'))).toEqual([]);
  });
});
