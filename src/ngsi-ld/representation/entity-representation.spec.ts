import * as jsonld from 'jsonld';
import { CORE_CONTEXT_URLS } from 'src/jsonld/core-contexts';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { RequestContext } from 'src/jsonld/context-compiler';
import { fixtureCompiler, referenceDocumentLoader } from 'src/jsonld/testing/context-fixtures';
import { isJsonObject, JsonObject } from 'src/jsonld/value-codec';
import { compactEntity, RepresentationFormat } from 'src/ngsi-ld/representation/entity-compactor';
import { expandEntity } from 'src/ngsi-ld/representation/entity-expander';
import { AttributeInstance, EntityData, isSubAttributeKey } from 'src/ngsi-ld/representation/entity.model';
import { ENTITY_FIXTURES, EntityFixture } from 'src/ngsi-ld/representation/testing/entity-fixtures';

/*
 * The fast path (compiled contexts, our own walk) against the reference: the `jsonld` library
 * processing the same documents. Equal canonical N-Quads mean the same RDF graph.
 */

const NOW = '2026-11-23T12:00:00.000Z';
const compiler = fixtureCompiler();

function withContext(fixture: EntityFixture, document: JsonObject, request: RequestContext): JsonObject {
  const user = fixture.context === undefined ? [] : [fixture.context].flat();
  const core = user.some((c) => typeof c === 'string' && c.startsWith('https://uri.etsi.org/')) ? [] : [request.coreContextUrl];
  return { '@context': [...user, ...core] as JsonObject[], ...document };
}

/** The stored form as a JSON-LD document: its keys are IRIs or core terms, so the core context reads it. */
function storedAsJsonLd(entity: EntityData, coreUrl: string): JsonObject {
  const strip = (instance: AttributeInstance): JsonObject => {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(instance)) {
      if (key === 'createdAt' || key === 'modifiedAt') continue;
      out[key] =
        isSubAttributeKey(key) && Array.isArray(value) && value.every((v) => isJsonObject(v) && 'type' in v)
          ? (value as AttributeInstance[]).map(strip)
          : (value as JsonObject);
    }
    return out;
  };
  const doc: JsonObject = { '@context': coreUrl, id: entity.id, type: entity.types };
  if (entity.scopes) doc.scope = entity.scopes;
  for (const [iri, instances] of Object.entries(entity.attributes)) doc[iri] = instances.map(strip);
  return doc;
}

async function canonical(document: JsonObject): Promise<string> {
  // RDFC-1.0 is jsonld's default algorithm (its typings still know only the older names).
  return jsonld.canonize(document, {
    format: 'application/n-quads',
    documentLoader: referenceDocumentLoader,
    safe: true,
    // GeoJSON coordinates are lists of lists: many look-alike blank nodes to tell apart.
    canonizeOptions: { maxWorkFactor: Infinity },
  } as jsonld.Options.Normalize);
}

async function expandFixture(fixture: EntityFixture): Promise<{ request: RequestContext; stored: EntityData }> {
  const request = await compiler.compile(fixture.context);
  const stored = await withScopedContexts(() => expandEntity(request.compiled, fixture.entity, NOW));
  return { request, stored };
}

async function compactFixture(fixture: EntityFixture, format: RepresentationFormat) {
  const { request, stored } = await expandFixture(fixture);
  const output = await withScopedContexts(() => compactEntity(request.compiled, stored, { format, sysAttrs: false }));
  return { request, stored, output };
}

describe.each(ENTITY_FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
  it('expands to the same RDF graph as jsonld', async () => {
    const { request, stored } = await expandFixture(fixture);
    const reference = await canonical(withContext(fixture, fixture.entity, request));
    expect(reference.length).toBeGreaterThan(0);
    expect(await canonical(storedAsJsonLd(stored, request.coreContextUrl))).toBe(reference);
  });

  it('compacts (normalized) to the same RDF graph and the same attribute names as jsonld', async () => {
    const { request, stored, output } = await compactFixture(fixture, 'normalized');
    const reference = await canonical(storedAsJsonLd(stored, request.coreContextUrl));
    expect(await canonical(withContext(fixture, output, request))).toBe(reference);

    const compactedByJsonld = await jsonld.compact(
      withContext(fixture, fixture.entity, request),
      withContext(fixture, {}, request)['@context'] as jsonld.ContextDefinition,
      { documentLoader: referenceDocumentLoader } as jsonld.Options.Compact,
    );
    // Same attributes under names of the same kind: a term where jsonld finds a term. (We keep
    // the caller's term where JSON-LD's term selection shuns it for being typed @vocab, and write
    // full IRIs where JSON-LD would write compact ones, as NGSI-LD clause 5.5.7 asks.)
    const named = (keys: string[]) =>
      new Map(keys.filter((k) => k !== '@context').map((k) => [request.compiled.expandTerm(k), k] as const));
    const theirs = named(Object.keys(compactedByJsonld));
    const ours = named(Object.keys(output));
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [iri, name] of theirs) {
      if (!name.includes(':')) expect(ours.get(iri)).not.toContain(':');
    }
  });

  it('reads back what it wrote: expanding the normalized output gives the stored form', async () => {
    const { request, stored, output } = await compactFixture(fixture, 'normalized');
    const again = await withScopedContexts(() => expandEntity(request.compiled, output, NOW));
    expect(again).toEqual(stored);
  });

  it('reads back the concise output as the same entity', async () => {
    const { request, stored, output } = await compactFixture(fixture, 'concise');
    const again = await withScopedContexts(() => expandEntity(request.compiled, output, NOW));
    expect(again).toEqual(stored);
  });
});

describe('representations of one entity', () => {
  const weather = ENTITY_FIXTURES[0];
  const multi = ENTITY_FIXTURES[1];

  it('normalized keeps every member and the terms of the caller', async () => {
    const { output } = await compactFixture(weather, 'normalized');
    expect(output).toMatchObject({
      id: 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen',
      type: 'WeatherObserved',
      temperature: { type: 'Property', value: 8.4, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' },
      refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:vaisala-17' },
      address: { type: 'Property', value: { streetAddress: 'Lindholmspiren 3', addressLocality: 'Göteborg' } },
      weatherType: { type: 'VocabProperty', vocab: 'Sunny' },
      dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-11-20T10:00:00Z' } },
    });
    expect(output.temperature).toHaveProperty('accuracy', { type: 'Property', value: 0.2, unitCode: 'CEL' });
  });

  it('keyValues gives values only, and indexes several instances by datasetId', async () => {
    const { output } = await compactFixture(weather, 'keyValues');
    expect(output).toMatchObject({
      temperature: 8.4,
      refDevice: 'urn:ngsi-ld:Device:vaisala-17',
      location: { type: 'Point', coordinates: [11.9375, 57.7072] },
      name: { sv: 'Väderstation Lindholmen', en: 'Lindholmen weather station' },
      weatherType: 'Sunny',
    });
    const { output: multiOutput } = await compactFixture(multi, 'keyValues');
    expect(multiOutput.temperature).toEqual({
      dataset: { '@none': 4.1, 'urn:ngsi-ld:Dataset:smhi': 4.3, 'urn:ngsi-ld:Dataset:backup': 3.9 },
    });
    expect(multiOutput.stations).toEqual(['urn:ngsi-ld:Device:a', 'urn:ngsi-ld:Device:b']);
  });

  it('concise drops the type and wraps only what needs wrapping', async () => {
    const { output } = await compactFixture(weather, 'concise');
    expect(output.relativeHumidity).toBe(0.81);
    expect(output.location).toEqual({ type: 'Point', coordinates: [11.9375, 57.7072] });
    expect(output.temperature).toMatchObject({ value: 8.4, unitCode: 'CEL', accuracy: { value: 0.2, unitCode: 'CEL' } });
    expect(output.refDevice).toEqual({ object: 'urn:ngsi-ld:Device:vaisala-17' });
    expect(output.address).toHaveProperty('value');
  });

  it('shows terms the caller does not know as full IRIs, and default-vocabulary names short', async () => {
    const { stored } = await expandFixture(weather);
    const core = await compiler.compile(undefined);
    const output = compactEntity(core.compiled, stored, { format: 'keyValues', sysAttrs: false });
    expect(output.type).toBe('https://smartdatamodels.org/dataModel.Weather/WeatherObserved');
    expect(output).toHaveProperty(['https://smartdatamodels.org/dataModel.Weather/temperature'], 8.4);
    expect(output).toHaveProperty('location');
    const { stored: buoy } = await expandFixture(ENTITY_FIXTURES[4]);
    expect(compactEntity(core.compiled, buoy, { format: 'keyValues', sysAttrs: false })).toHaveProperty('batteryLevel', 0.93);
  });

  it('adds createdAt and modifiedAt with sysAttrs', async () => {
    const { request, stored } = await expandFixture(weather);
    const output = compactEntity(request.compiled, { ...stored, createdAt: NOW, modifiedAt: NOW }, { format: 'normalized', sysAttrs: true });
    expect(output).toMatchObject({ createdAt: NOW, modifiedAt: NOW, temperature: { createdAt: NOW, modifiedAt: NOW } });
  });

  it('projects onto the asked attributes', async () => {
    const { request, stored } = await expandFixture(weather);
    const temperature = request.compiled.expandTerm('temperature')!;
    const output = compactEntity(request.compiled, stored, {
      format: 'normalized',
      sysAttrs: false,
      projection: { attributes: new Set([temperature]) },
    });
    expect(Object.keys(output).sort()).toEqual(['id', 'scope', 'temperature', 'type']);
    const picked = compactEntity(request.compiled, stored, {
      format: 'keyValues',
      sysAttrs: false,
      projection: { attributes: new Set([temperature]), core: new Set(['id']) },
    });
    expect(picked).toEqual({ id: 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen', temperature: 8.4 });
    const omitted = compactEntity(request.compiled, stored, {
      format: 'keyValues',
      sysAttrs: false,
      projection: { omitted: new Set([temperature]), core: new Set(['id', 'type']) },
    });
    expect(omitted).not.toHaveProperty('temperature');
    expect(omitted).not.toHaveProperty('scope');
    expect(omitted).toHaveProperty('refDevice');
  });

  it('shows a LanguageProperty in the asked language, as a Property saying which', async () => {
    const { request, stored } = await expandFixture(weather);
    const lang = { ranges: ['en'] };
    const normalized = compactEntity(request.compiled, stored, { format: 'normalized', sysAttrs: false, lang });
    expect(normalized.name).toEqual({ type: 'Property', value: 'Lindholmen weather station', lang: 'en' });
    const keyValues = compactEntity(request.compiled, stored, { format: 'keyValues', sysAttrs: false, lang });
    expect(keyValues.name).toBe('Lindholmen weather station');
    const any = compactEntity(request.compiled, stored, { format: 'normalized', sysAttrs: false, lang: { ranges: ['*'] } });
    expect(any.name).toMatchObject({ type: 'Property', lang: expect.any(String) });
  });

  it('keeps only the asked instances of a multi-instance attribute', async () => {
    const { request, stored } = await expandFixture(multi);
    const output = compactEntity(request.compiled, stored, {
      format: 'normalized',
      sysAttrs: false,
      datasetIds: new Set(['@none', 'urn:ngsi-ld:Dataset:smhi']),
    });
    expect((output.temperature as unknown[]).length).toBe(2);
  });

  it('gives the same stored form for the concise spelling of an entity', async () => {
    const request = await compiler.compile('https://contexts.test/weather.jsonld');
    const normalized = expandEntity(
      request.compiled,
      {
        id: 'urn:ngsi-ld:WeatherObserved:x',
        type: 'WeatherObserved',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [12, 57] } },
        temperature: { type: 'Property', value: 3 },
        refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:1' },
        name: { type: 'LanguageProperty', languageMap: { sv: 'x' } },
      },
      NOW,
    );
    const concise = expandEntity(
      request.compiled,
      {
        id: 'urn:ngsi-ld:WeatherObserved:x',
        type: 'WeatherObserved',
        location: { type: 'Point', coordinates: [12, 57] },
        temperature: 3,
        refDevice: { object: 'urn:ngsi-ld:Device:1' },
        name: { languageMap: { sv: 'x' } },
      },
      NOW,
    );
    expect(concise).toEqual(normalized);
  });
});

describe('core context versions', () => {
  it('answers each core context URL with its own document', async () => {
    const v18 = await compiler.compile(CORE_CONTEXT_URLS['1.8']);
    const v19 = await compiler.compile(CORE_CONTEXT_URLS['1.9']);
    expect(v18.coreVersion).toBe('1.8');
    expect(v19.coreVersion).toBe('1.9');
    expect(v18.compiled.definition('ngsildproof')).toBeUndefined();
    expect(v19.compiled.definition('ngsildproof')).toBeDefined();
    expect((await compiler.compile(undefined)).coreVersion).toBe('1.9');
  });
});
