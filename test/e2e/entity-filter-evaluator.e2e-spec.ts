import request from 'supertest';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { expandQ, expandTypes } from 'src/ngsi-ld/query/entity-filter';
import { qMatches, qRegexes, scopesMatch, typesMatch } from 'src/ngsi-ld/query/entity-filter-evaluator';
import { parseQ } from 'src/ngsi-ld/query/q-parser';
import { parseScopeQuery } from 'src/ngsi-ld/query/scope-query';
import { parseTypeExpression } from 'src/ngsi-ld/query/type-expression';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The in-memory evaluator (what subscriptions match changes with) against the SQL of entity
 * queries, on the same entities: for every expression, the ids GET /ngsi-ld/v1/entities finds must
 * be the ids the evaluator accepts. The entities hold every kind of value q can meet.
 */

let t: TestApp;
let ctx: RequestContext;
let stored: EntityData[];

const ID = 'urn:ngsi-ld:Probe:';
const p = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra });
const dateTime = (value: string) => ({ '@type': 'DateTime', '@value': value });

/** Stations, beaches and meters: numbers, strings, booleans, time, vocabulary, languages, lists, compounds. */
const ENTITIES: Record<string, unknown>[] = [
  {
    id: `${ID}lindholmen`,
    type: 'Station',
    scope: ['/Gothenburg/Hisingen/Lindholmen', '/Weather'],
    temperature: p(21.5, { observedAt: '2026-07-01T08:00:00Z', unitCode: 'CEL', accuracy: p(0.2, { method: p('calibrated') }) }),
    name: p('Lindholmen'),
    open: p(true),
    dateObserved: p(dateTime('2026-07-01T08:00:00Z')),
    day: p('2026-07-01'),
    opens: p('08:00:00'),
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:1' },
    status: { type: 'VocabProperty', vocab: 'open' },
    label: { type: 'LanguageProperty', languageMap: { sv: 'Station ett', en: 'Station one' } },
    readings: { type: 'ListProperty', valueList: [1, 2, 3] },
    address: p({ streetAddress: 'Lindholmspiren 3', postalCode: '417 56', floor: 2, tags: ['harbour', 'office'] }),
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9375, 57.7072] } },
  },
  {
    id: `${ID}saltholmen`,
    type: 'Station',
    scope: ['/Gothenburg/Styrso', '/Weather'],
    temperature: [p(15, { observedAt: '2026-07-01T09:00:00Z' }), p(25, { datasetId: 'urn:ngsi-ld:Dataset:smhi', unitCode: 'CEL' })],
    name: p('Saltholmen bad'),
    open: p(false),
    dateObserved: p(dateTime('2026-07-01T09:30:00Z')),
    day: p('2026-07-02'),
    opens: p('09:30:00'),
    refDevice: { type: 'Relationship', object: ['urn:ngsi-ld:Device:1', 'urn:ngsi-ld:Device:2'] },
    status: { type: 'VocabProperty', vocab: ['open', 'closed'] },
    label: { type: 'LanguageProperty', languageMap: { sv: 'Saltholmens bad', en: ['Saltholmen bath', 'Saltholmen beach'] } },
    readings: { type: 'ListProperty', valueList: [16.8, 17.2, 'n/a'] },
    address: p({ streetAddress: 'Saltholmsgatan 1', postalCode: '426 76', floor: 0 }),
  },
  {
    id: `${ID}styrso`,
    type: 'Station',
    scope: ['/Gothenburg/Styrso/North'],
    temperature: p(-3, { observedAt: '2026-07-01T10:00:00+02:00', unitCode: 'FAH' }),
    name: p('saltsjö'),
    open: p('true'),
    dateObserved: p('2026-07-01T08:00:00Z'),
    day: p(dateTime('2026-07-01T23:00:00Z')),
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:3' },
    status: { type: 'VocabProperty', vocab: 'closed' },
    notes: p('line one\nline two'),
    address: p({ streetAddress: 'Styrsövägen', postalCode: '430 84', floor: '1' }),
  },
  {
    id: `${ID}askim`,
    type: ['Beach', 'Station'],
    scope: ['/Gothenburg/Askim'],
    temperature: p('21', { observedAt: '2026-06-30T12:00:00Z' }),
    name: p('Askimsbadet'),
    readings: { type: 'ListProperty', valueList: [] },
    water: p(19, { accuracy: p(0.5, { method: p('estimated', { observedAt: '2026-06-30T12:00:00Z' }) }) }),
    address: p([{ streetAddress: 'Askims strandväg' }, { streetAddress: 'Strandvägen 2', floor: 5 }]),
  },
  {
    id: `${ID}tofta`,
    type: 'Beach',
    temperature: p([18, 22]),
    name: p('Tofta strand'),
    open: p(true),
    water: p(17, { accuracy: p(1.5) }),
    address: p({ postalCode: ['417 56', '999 99'] }),
  },
  {
    id: `${ID}delsjon`,
    type: 'Lake',
    scope: ['/Gothenburg'],
    name: { type: 'LanguageProperty', languageMap: { sv: 'Delsjön', en: 'Delsjon lake' } },
    status: { type: 'VocabProperty', vocab: 'https://vocab.vgregion.test/Frozen' },
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:2' },
  },
  {
    id: `${ID}meter-1`,
    type: 'Meter',
    scope: ['/Boras/Centrum'],
    volume: p(1234.5, { unitCode: 'MTQ', observedAt: '2026-07-01T00:00:00.5Z' }),
    total: p(1e21),
    flags: p([{ code: 'a', level: 1 }, { code: 'b', level: 2 }]),
    settings: { type: 'JsonProperty', json: { level: 2, code: 'a' } },
    dateObserved: p(dateTime('2026-07-01T00:00:00.0005Z')),
  },
  {
    id: `${ID}meter-2`,
    type: 'Meter',
    scope: ['/Boras'],
    volume: p(0, { observedAt: '2026-07-01T00:00:00Z' }),
    total: p(-1.5e-3),
    flags: p({ grid: [[{ level: 5 }], { level: 6 }] }),
    dateObserved: p('2026-02-30T12:00:00Z'),
    stations: { type: 'ListRelationship', objectList: [{ object: 'urn:ngsi-ld:Device:1' }] },
  },
  {
    id: `${ID}meter-3`,
    type: 'Meter',
    volume: p(99.9),
    total: p(true),
    dateObserved: p('2026-12-31T23:59:60Z'),
    day: p('2026-07-01T12:00:00+16:00'),
    name: p('😀 smile'),
  },
  {
    id: `${ID}meter-4`,
    type: 'Meter',
    volume: p('99.9'),
    name: p('\uFFFD replacement'),
    dateObserved: p(dateTime('2026-06-30T23:59:59.9999999Z')),
    notes: p('Gate\u00a0B'),
  },
  {
    id: `${ID}bin-1`,
    type: 'WasteContainer',
    scope: ['/Boras/Centrum/Torget'],
    fillingLevel: p(0.93, { observedAt: '2026-07-01T07:59:59Z' }),
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:bin-sensor-1' },
    status: { type: 'VocabProperty', vocab: 'full' },
  },
  {
    id: `${ID}bin-2`,
    type: 'WasteContainer',
    fillingLevel: [p(0.1), p(0.95, { datasetId: 'urn:ngsi-ld:Dataset:camera' })],
    status: { type: 'VocabProperty', vocab: 'ok' },
    name: p('Bin ÅÄÖ'),
  },
  {
    id: `${ID}bin-3`,
    type: 'WasteContainer',
    fillingLevel: p(0.5, { observedAt: '2026-07-01T08:00:00.000Z' }),
    name: p(''),
  },
  {
    id: `${ID}device-1`,
    type: ['Device', 'Sensor'],
    scope: ['/Weather/Sensors'],
    batteryLevel: p(0.75),
    serial: p('SN-0001'),
    owner: { type: 'Relationship', object: 'urn:ngsi-ld:Organisation:goteborg', since: p('2025-01-01') },
  },
  {
    id: `${ID}device-2`,
    type: 'Device',
    batteryLevel: p(1),
    serial: p('sn-0002'),
    owner: { type: 'Relationship', object: 'urn:ngsi-ld:Organisation:boras' },
  },
];

beforeAll(async () => {
  t = await startTestApp();
  await request(t.http).post('/ngsi-ld/v1/entityOperations/create').set('content-type', 'application/json').send(JSON.stringify(ENTITIES)).expect(201);
  ctx = await t.app.get(ContextCompiler).compile(undefined);
  stored = await t.app.get(EntitiesRepository).find('', [t.writer.datasetId], { entities: [{ idPattern: `^${ID}` }] }, 1000, 0);
});
afterAll(async () => {
  await t?.close();
});

/** Ids without the common prefix, sorted. */
const short = (ids: Iterable<string>) => [...ids].map((id) => id.slice(ID.length)).sort();

async function byQuery(query: string): Promise<string[]> {
  const res = await request(t.http).get(`/ngsi-ld/v1/entities?${query}&limit=1000&pick=id`).expect(200);
  return short(res.body.map((e: { id: string }) => e.id));
}

async function byJsonRoute(q: string): Promise<string[]> {
  const filter = { entities: [{ idPattern: `^${ID}` }], q: expandQ(ctx.compiled, parseQ(q)) };
  return short((await t.app.get(EntitiesRepository).find('', [t.writer.datasetId], filter, 1000, 0, { routes: 'json' })).map((e) => e.id));
}

const evaluated = (accepts: (entity: EntityData) => boolean) => short(stored.filter(accepts).map((e) => e.id));

const Q = [
  // numbers, in one instance or several, in arrays, as strings
  'temperature>20',
  'temperature<=15',
  'temperature==15..21.5',
  'temperature!=15..21.5',
  'temperature==15,25',
  'temperature!=15',
  'temperature=="21"',
  'temperature<"3"',
  'volume>=99.9',
  'total>1e20',
  'total<0',
  'total==true',
  'fillingLevel>0.9',
  'batteryLevel==1',
  // existence and negation
  'temperature',
  '!temperature',
  '!(temperature>20)',
  '!refDevice==urn:ngsi-ld:Device:1',
  // booleans
  'open==true',
  'open==false',
  'open!=true',
  'open=="true"',
  // strings, language maps, vocabulary, relationships, lists
  'name=="Lindholmen"',
  'name>"M"',
  'name<"Saltholmen"',
  'name<"M"',
  'name=="Delsjön"',
  'name==""',
  'name!="Askimsbadet"',
  'label=="Station one"',
  'label=="Saltholmen beach"',
  'status=="open"',
  'status=="closed"',
  'status=="https://vocab.vgregion.test/Frozen"',
  'status!="open"',
  'refDevice==urn:ngsi-ld:Device:1',
  'refDevice=="urn:ngsi-ld:Device:2"',
  'refDevice!=urn:ngsi-ld:Device:1',
  'readings>2',
  'readings=="n/a"',
  'readings',
  'stations==urn:ngsi-ld:Device:1',
  'settings[level]==2',
  // patterns
  'name~="^Salt"',
  'name~="bad$"',
  'name!~="a"',
  'name~="ÅÄÖ"',
  'label~="bath"',
  'refDevice~="bin"',
  'serial~=^SN-\\d+$',
  'serial~="^[a-z]{2}-0+2$"',
  'address[postalCode]~="^4(1|2)"',
  // date-times, dates and times
  'dateObserved>2026-07-01T08:00:00Z',
  'dateObserved==2026-07-01T00:00:00Z..2026-07-01T08:00:00Z',
  'dateObserved>=2026-07-01',
  'dateObserved==2026-07-01T08:00Z',
  'dateObserved=="2026-07-01T08:00:00Z"',
  'day==2026-07-01',
  'day>2026-07-01',
  'opens<09:00:00',
  'opens==08:00:00..10:00:00',
  // members of instances
  'temperature.observedAt>=2026-07-01T08:00:00Z',
  'temperature.observedAt==2026-07-01T08:00:00Z',
  'fillingLevel.observedAt<2026-07-01T08:00:00Z',
  'volume.observedAt>2026-07-01T00:00:00Z',
  'temperature.unitCode=="CEL"',
  'temperature.unitCode!="CEL"',
  'temperature.datasetId==urn:ngsi-ld:Dataset:smhi',
  'fillingLevel.datasetId',
  'temperature.observedAt',
  // sub-attributes
  'temperature.accuracy<0.5',
  'water.accuracy>=0.5',
  'water.accuracy.method=="estimated"',
  'temperature.accuracy.method~="cal"',
  'water.accuracy.method.observedAt<2026-07-01T00:00:00Z',
  'owner.since==2025-01-01',
  'temperature.accuracy',
  '!water.accuracy.method',
  'temperature.accuracy.createdAt>2000-01-01T00:00:00Z',
  // compound values
  'address[streetAddress]=="Lindholmspiren 3"',
  'address[postalCode]=="417 56"',
  'address[floor]>=2',
  'address[floor]=="1"',
  'address[tags]=="office"',
  'address[floor]',
  '!address[floor]',
  'flags[level]==2',
  'flags[code]!="a"',
  'flags[grid.level]==6',
  'flags[grid][level]>0',
  // and, or, groups
  'temperature>20;open==true',
  'temperature>20|fillingLevel>0.9',
  '(name~="^S"|name~="^s");!refDevice==urn:ngsi-ld:Device:1',
  'status=="open";temperature.observedAt<2026-07-01T09:00:00Z',
  '(temperature<0|temperature>24);(address[floor]|!address)',
];

/** Where SQL and the evaluator used to part ways (edge cases of time, text order, JSON path and regular expressions). */
const EDGE_Q = [
  'dateObserved<2026-06-01T00:00:00Z', // 30 February is no date-time
  'dateObserved==2026-07-01T00:00:00Z', // 00:00:00.0005 is later, by half a millisecond
  'dateObserved>=2027-01-01T00:00:00Z', // 23:59:60 is the leap second before 2027
  'dateObserved<2026-07-01T00:00:00Z', // 23:59:59.9999999 rounds to the microsecond: midnight
  'day<2026-07-02T00:00:00Z', // +16:00 is no time zone PostgreSQL knows
  'name<"\uFFFD"', // text order is code point (UTF-8) order: an emoji comes after U+FFFD
  'notes~="one.line"', // . matches a line break
  'flags[grid.level]==5', // JSON path in lax mode unwraps one level of arrays, not two
  'notes~=Gate\\sB', // \s is ASCII white space in PostgreSQL: not U+00A0
  'notes~=Gate\\SB',
  'notes~=one[^\\S]line',
  'name~=\\bbad', // \b is a backspace in PostgreSQL, not a word boundary
  'serial~=SN\\x2D0', // \x takes every hex digit: U+02D0, not "-0"
  'serial~=SN\\-0', // an escaped punctuation character is itself
];

describe('q', () => {
  it.each([...Q, ...EDGE_Q])('%s', async (text) => {
    const q = expandQ(ctx.compiled, parseQ(text));
    const regexes = qRegexes(q);
    const evaluator = evaluated((entity) => qMatches(q, entity.attributes, regexes));
    const sql = await byQuery(`local=true&q=${encodeURIComponent(text)}`);
    expect({ text, sql }).toEqual({ text, sql: evaluator });
    expect({ text, json: await byJsonRoute(text) }).toEqual({ text, json: evaluator });
  });

  it('finds something, and not everything, for every expression but a few', () => {
    // A comparison that selects nothing or everything on both sides proves little. These find nothing on purpose:
    // q does not look into ListRelationships and JsonProperties, and the meter with flag "a" also has flag "b".
    const findsNothing = ['stations==urn:ngsi-ld:Device:1', 'settings[level]==2', 'flags[code]!="a"'];
    for (const text of Q) {
      const q = expandQ(ctx.compiled, parseQ(text));
      const found = evaluated((entity) => qMatches(q, entity.attributes, qRegexes(q))).length;
      expect({ text, found: found === 0 ? 'nothing' : found === stored.length ? 'everything' : 'some' }).toEqual({
        text,
        found: findsNothing.includes(text) ? 'nothing' : 'some',
      });
    }
  });
});

// Known defect of both sides (entity-filter.sql.ts typedCondition, and the evaluator that follows it):
// a string value is also compared with its expansion as a vocabulary term, for < and > too, so
// "Saltholmen bad" < "M" holds because it sorts before "https://uri.etsi.org/ngsi-ld/default-context/M".
// Make this `it` once ordering comparisons leave the vocabulary expansion out.
it('orders strings by themselves, not by their expansion as vocabulary terms', async () => {
  expect(await byQuery(`local=true&q=${encodeURIComponent('name<"M"')}`)).toEqual(['askim', 'bin-2', 'bin-3', 'delsjon', 'lindholmen']);
});

describe('scopeQ', () => {
  it.each([
    '/Gothenburg/#',
    '/Gothenburg/+',
    '/Gothenburg',
    '/Weather',
    '/Gothenburg/Styrso/#',
    '/Boras/Centrum;/Boras/Centrum/Torget',
    '/Boras/#;/Boras/Centrum/+',
    '/#',
    '/+',
    '/Weather,/Boras/+',
    '(/Gothenburg/#;/Weather)|/Boras',
    '/Nowhere/#',
    '/Boras/+/Torget',
    '/Gothenburg/+/North',
    '/+/Centrum/#',
    '/+/+',
    '/+/Styrso/#;/Weather',
  ])('%s', async (text) => {
    const scopes = parseScopeQuery(text);
    const evaluator = evaluated((entity) => scopesMatch(scopes, entity.scopes));
    expect({ text, sql: await byQuery(`scopeQ=${encodeURIComponent(text)}`) }).toEqual({ text, sql: evaluator });
  });
});

describe('type', () => {
  it.each(['Station', 'Beach,Lake', 'Beach|Lake', 'Beach;Station', '(Beach;Station)|Meter', 'Device|Sensor', 'Sensor;Device', 'Station;(Beach|Lake)', 'Nothing'])(
    '%s',
    async (text) => {
      const types = expandTypes(ctx.compiled, parseTypeExpression(text));
      const evaluator = evaluated((entity) => typesMatch(types, entity.types));
      expect({ text, sql: await byQuery(`type=${encodeURIComponent(text)}`) }).toEqual({ text, sql: evaluator });
    },
  );

  it('and q together', async () => {
    const types = expandTypes(ctx.compiled, parseTypeExpression('Station|Beach'));
    const q = expandQ(ctx.compiled, parseQ('temperature>=18|!open'));
    const evaluator = evaluated((entity) => typesMatch(types, entity.types) && qMatches(q, entity.attributes, qRegexes(q)));
    expect(await byQuery(`type=Station|Beach&q=${encodeURIComponent('temperature>=18|!open')}`)).toEqual(evaluator);
  });
});

it('holds every entity it was given', () => {
  expect(stored).toHaveLength(ENTITIES.length);
});
