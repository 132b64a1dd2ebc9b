import { AppConfig, loadConfig } from 'src/config/app-config';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';
import { bundledContext } from 'src/jsonld/core-contexts';
import { HostedContextsRepository } from 'src/jsonld/hosted-contexts.repository';
import { RemoteDocument } from 'src/jsonld/jsonld-internals';
import { ModelRegistry } from 'src/models/model-registry';

/** User contexts of the kinds met in practice; unit tests serve them without a network. */
export const TEST_CONTEXTS: Readonly<Record<string, unknown>> = {
  // Smart-Data-Model style: flat terms, coercions to @id, @vocab and a datatype.
  'https://contexts.test/weather.jsonld': {
    '@context': {
      WeatherObserved: 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved',
      Device: 'https://smartdatamodels.org/dataModel.Device/Device',
      temperature: 'https://smartdatamodels.org/dataModel.Weather/temperature',
      relativeHumidity: 'https://smartdatamodels.org/dataModel.Weather/relativeHumidity',
      accuracy: 'https://smartdatamodels.org/accuracy',
      refDevice: { '@id': 'https://smartdatamodels.org/dataModel.Weather/refDevice', '@type': '@id' },
      dateObserved: { '@id': 'https://smartdatamodels.org/dateObserved', '@type': 'https://uri.etsi.org/ngsi-ld/DateTime' },
      address: 'https://smartdatamodels.org/address',
      streetAddress: 'https://schema.org/streetAddress',
      addressLocality: 'https://schema.org/addressLocality',
      postalCode: 'https://schema.org/postalCode',
      name: 'https://schema.org/name',
      weatherType: { '@id': 'https://smartdatamodels.org/dataModel.Weather/weatherType', '@type': '@vocab' },
      Sunny: 'https://smartdatamodels.org/dataModel.Weather/Sunny',
      Cloudy: 'https://smartdatamodels.org/dataModel.Weather/Cloudy',
      sensorSettings: 'https://smartdatamodels.org/sensorSettings',
      forecastLevels: 'https://smartdatamodels.org/forecastLevels',
      stations: 'https://smartdatamodels.org/stations',
    },
  },
  // A context made of another context plus local terms and a prefix.
  'https://contexts.test/greenspace.jsonld': {
    '@context': [
      'https://contexts.test/greenspace-base.jsonld',
      {
        vgr: 'https://data.vgregion.test/ns#',
        soilMoisture: 'vgr:soilMoisture',
        soilTemperature: 'vgr:soilTemperature',
      },
    ],
  },
  'https://contexts.test/greenspace-base.jsonld': {
    '@context': {
      GreenspaceRecord: 'https://smartdatamodels.org/dataModel.ParksAndGardens/GreenspaceRecord',
      depth: 'https://smartdatamodels.org/depth',
      refGreenspace: 'https://smartdatamodels.org/dataModel.ParksAndGardens/refGreenspace',
    },
  },
  // Aliases, typed literals, languages and containers inside compound values.
  'https://contexts.test/features.jsonld': {
    '@context': {
      sdm: 'https://smartdatamodels.org/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      Streetlight: 'sdm:dataModel.Streetlighting/Streetlight',
      temp: 'sdm:dataModel.Weather/temperature',
      temperature: 'sdm:dataModel.Weather/temperature',
      measuredAt: { '@id': 'sdm:measuredAt', '@type': 'xsd:dateTime' },
      label: { '@id': 'http://www.w3.org/2000/01/rdf-schema#label', '@language': 'sv' },
      tags: { '@id': 'sdm:tags', '@container': '@list' },
      titles: { '@id': 'sdm:titles', '@container': '@language' },
      homepage: { '@id': 'http://xmlns.com/foaf/0.1/homepage', '@type': '@id' },
      lampSettings: 'sdm:lampSettings',
      powerState: 'sdm:powerState',
      count: { '@id': 'sdm:count', '@type': 'xsd:integer' },
    },
  },
  // A user context that tries a scoped context: NGSI-LD forbids it (clause 5.5.7).
  'https://contexts.test/scoped.jsonld': {
    '@context': {
      Vehicle: { '@id': 'https://example.org/Vehicle', '@context': { speed: 'https://example.org/hidden-speed' } },
    },
  },
};

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', ...env });
}

/** A document loader that answers the test contexts without fetching anything. */
export class FixtureDocumentLoader extends ContextDocumentLoader {
  override async document(url: string): Promise<unknown> {
    if (url in TEST_CONTEXTS) return TEST_CONTEXTS[url];
    return super.document(url);
  }
}

export function fixtureCompiler(config: AppConfig = testConfig()): ContextCompiler {
  // Unit tests host no contexts: the repository is never asked.
  const noHostedContexts = {} as HostedContextsRepository;
  return new ContextCompiler(config, new FixtureDocumentLoader(config, noHostedContexts, new ModelRegistry()));
}

/** The same documents for the reference `jsonld` library. */
export async function referenceDocumentLoader(url: string): Promise<RemoteDocument> {
  const document = TEST_CONTEXTS[url] ?? bundledContext(url);
  if (document === undefined) throw new Error(`test fixture has no document for ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}
