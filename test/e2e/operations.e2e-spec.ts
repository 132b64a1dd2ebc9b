import request from 'supertest';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from 'test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('operations endpoints', () => {
  it('reports health with a database check as application/health+json', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/health\+json/);
    expect(res.body.status).toBe('pass');
    expect(res.body.checks['database:responseTime'][0]).toMatchObject({ componentType: 'datastore', status: 'pass' });
  });

  it('describes the API at /api-info', async () => {
    const res = await request(t.http).get('/api-info').expect(200);
    expect(res.body).toMatchObject({ apiName: 'vg-datashare', apiStatus: 'active', apiDocumentation: '/docs' });
    expect(res.body.apiVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(res.body.apiReleased).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('serves OpenAPI 3.1 with CORS, documenting the NGSI-LD entity operations', async () => {
    const res = await request(t.http).get('/openapi.json').set('origin', 'https://portal.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/ngsi-ld/v1/entities', '/ngsi-ld/v1/entities/{entityId}', '/health', '/api-info']),
    );
    expect(Object.keys(res.body.paths['/ngsi-ld/v1/entities'])).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('serves Swagger UI from bundled files', async () => {
    const page = await request(t.http).get('/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    const bundle = await request(t.http).get('/docs/swagger-ui-bundle.js').expect(200);
    expect(bundle.text.length).toBeGreaterThan(100_000);
  });

  it('answers unknown paths with problem details of the right family', async () => {
    const plain = await request(t.http).get('/no/such/thing').expect(404);
    expect(plain.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(plain.body).toMatchObject({ type: 'about:blank', status: 404 });
    const ngsi = await request(t.http).get('/ngsi-ld/v1/nothing').expect(404);
    expect(ngsi.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
  });

  it('reports failure with 503 when the database is gone', async () => {
    await t.app.get(DataSource).destroy();
    const res = await request(t.http).get('/health').expect(503);
    expect(res.body.status).toBe('fail');
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|stack/);
  });
});
