import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { Server } from 'node:http';
import { IdentityProvider } from 'test/support/identity-provider';

/*
 * What the explorer's browser tests need: the built explorer (web/dist, built once when web/
 * changed, as npm start does), and data written through the public API as an organisation would.
 */
export function buildExplorer(): void {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-web-if-changed.mjs')], { stdio: 'inherit' });
}

export const WATER_QUALITY = 'https://smartdatamodels.org/dataModel.Environment/WaterQualityObserved';
const WEATHER = 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved';
const WATER_CONSUMPTION = 'https://smartdatamodels.org/dataModel.WaterConsumption/WaterConsumptionObserved';

/** Two bathing places, where they are and the temperatures written for yesterday. */
export const BEACHES = [
  { id: 'urn:ngsi-ld:WaterQualityObserved:askim', lon: 11.93, lat: 57.63, temperatures: [17.2, 17.6] },
  { id: 'urn:ngsi-ld:WaterQualityObserved:saltholmen', lon: 11.84, lat: 57.66, temperatures: [15.1, 15.4] },
] as const;

export interface ExplorerData {
  readonly openId: string;
  readonly restrictedId: string;
  /** An open dataset of 60 weather stations, for clustering. */
  readonly manyId: string;
  /** Göteborg's administrator key, which the owner pastes into the explorer. */
  readonly adminKey: string;
  /** When the temperatures were observed. */
  readonly times: readonly string[];
}

export async function writeExplorerData(http: Server, idp: IdentityProvider): Promise<ExplorerData> {
  const platform = await idp.bearer({ sub: 'platform-admin', organisation: 'platform', roles: ['platform-admin'], amr: ['pwd', 'otp'] });
  const issued = await request(http).post('/api/v1/api-keys').set(platform).send({ name: 'göteborg admin', organisation: 'goteborg', roles: ['admin'], write: true }).expect(201);
  const key = { 'x-api-key': issued.body.key as string };
  const open = await request(http).post('/api/v1/datasets').set(key).send({
    organisation: 'goteborg',
    title: { sv: 'Badtemperaturer i Göteborg', en: 'Bathing water temperatures in Gothenburg' },
    description: { sv: 'Vattentemperatur vid kommunens badplatser.', en: 'Water temperature at the city\'s beaches.' },
    keywords: { sv: ['bad'] }, themes: ['ENVI'], licence: 'https://creativecommons.org/publicdomain/zero/1.0/',
    contactPoint: { name: 'Miljöförvaltningen', email: 'miljo@example.se' }, updateFrequency: '10MIN',
    entities: [{ type: WATER_QUALITY }],
    classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true, personalData: { category: 'none' },
  }).expect(201);
  const restricted = await request(http).post('/api/v1/datasets').set(key).send({
    organisation: 'goteborg',
    title: { sv: 'Vattenmätare', en: 'Water meters' }, description: { sv: 'Förbrukning per fastighet.' },
    entities: [{ type: WATER_CONSUMPTION }], classification: { confidentiality: 2, integrity: 2, availability: 1 },
  }).expect(201);

  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const times = [`${yesterday}T10:00:00.000Z`, `${yesterday}T10:10:00.000Z`];
  for (const beach of BEACHES) {
    await request(http).post('/ngsi-ld/v1/entities').set(key).send({
      id: beach.id, type: WATER_QUALITY,
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [beach.lon, beach.lat] } },
      temperature: { type: 'Property', value: beach.temperatures[1], observedAt: times[1], unitCode: 'CEL' },
    }).expect(201);
    await request(http).post('/ngsi-ld/v1/temporal/entities').set(key).send({
      id: beach.id, type: WATER_QUALITY,
      temperature: [{ type: 'Property', value: beach.temperatures[0], observedAt: times[0], unitCode: 'CEL' }],
    }).expect(204);
  }
  await request(http).post('/ngsi-ld/v1/entities').set(key).send({
    id: 'urn:ngsi-ld:WaterConsumptionObserved:meter-1', type: WATER_CONSUMPTION,
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.97, 57.7] } },
    acquisitionStageFlow: { type: 'Property', value: 42 },
  }).expect(201);
  const many = await request(http).post('/api/v1/datasets').set(key).send({
    organisation: 'goteborg', title: { sv: 'Väderstationer' }, description: { sv: 'Sextio stationer.' },
    entities: [{ type: WEATHER }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true, personalData: { category: 'none' },
  }).expect(201);
  const stations = Array.from({ length: 60 }, (_, i) => ({
    id: `urn:ngsi-ld:WeatherObserved:station-${i}`, type: WEATHER,
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.5 + (i % 10) * 0.2, 57.5 + Math.floor(i / 10) * 0.15] } },
    temperature: { type: 'Property', value: i / 10 },
  }));
  await request(http).post('/ngsi-ld/v1/entityOperations/create').set(key).send(stations).expect(201);
  return { openId: open.body.id, restrictedId: restricted.body.id, manyId: many.body.id, adminKey: issued.body.key, times };
}
