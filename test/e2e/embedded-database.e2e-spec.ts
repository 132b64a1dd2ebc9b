import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from 'src/app.factory';
import { AppConfig, loadConfig } from 'src/config/app-config';

/*
 * No DATABASE_URL: the service starts PostgreSQL with PostGIS inside itself and keeps the data in
 * DATA_DIR, across restarts. (The other e2e tests get their database from test/support.)
 */
describe('the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vgds-embedded-'));
  const config: AppConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'fatal', DATA_DIR: dataDir });
  const entity = {
    id: 'urn:ngsi-ld:WaterQualityObserved:askim-badplats',
    type: 'WaterQualityObserved',
    temperature: { type: 'Property', value: 14.2, unitCode: 'CEL', observedAt: '2026-07-01T08:00:00Z' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.93, 57.63] } },
  };
  let app: NestFastifyApplication | undefined;
  let adminKey = '';

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<NestFastifyApplication> {
    const started = await createApp(config);
    await started.getHttpAdapter().getInstance().ready();
    return started;
  }

  it('starts with nothing configured and answers /health', async () => {
    expect(config.database.url).toBeUndefined();
    app = await start();
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.body.checks['database:responseTime'][0].output).toMatch(/PostGIS 3\.\d+.*\(embedded\)/);
    // The first start leaves an administrator key, readable by the owner only; nothing is writable without it.
    const keyFile = join(dataDir, 'admin-api-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    adminKey = readFileSync(keyFile, 'utf8').trim();
    const post = () => request(app!.getHttpServer()).post('/ngsi-ld/v1/entities').set('content-type', 'application/json').send(JSON.stringify(entity));
    await post().expect(401);
    await post().set('x-api-key', adminKey).expect(201);
    const me = await request(app.getHttpServer()).get('/api/v1/me').set('x-api-key', adminKey).expect(200);
    expect(me.body).toMatchObject({ kind: 'api-key', organisation: 'platform', roles: expect.arrayContaining(['platform-admin']) });
  }, 120_000);

  it('refuses a second service on the same data directory', async () => {
    await expect(createApp(config)).rejects.toThrow(/in use by process/);
  });

  it('keeps the data across a restart', async () => {
    await app!.close();
    app = undefined;
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'vg-datashare.lock'))).toBe(false);
    app = await start();
    const res = await request(app.getHttpServer()).get(`/ngsi-ld/v1/entities/${entity.id}`).set('x-api-key', adminKey).expect(200);
    expect(res.body).toEqual(entity);
    // The entity went to the organisation's default dataset, which is restricted: anonymous callers do not see it.
    await request(app.getHttpServer()).get(`/ngsi-ld/v1/entities/${entity.id}`).expect(404);
    // A restart does not issue a second key.
    expect(readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim()).toBe(adminKey);
  }, 120_000);
});
