import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The API description itself: valid OpenAPI 3.1, with the schemas its answers refer to. That the
 * service answers as it says is checked over every e2e test (test/support/contract).
 */

interface Operation {
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

let t: TestApp;
let document: Document;
beforeAll(async () => {
  t = await startTestApp();
  document = (await request(t.http).get('/openapi.json').expect(200)).body as Document;
});
afterAll(async () => {
  await t?.close();
});

const operations = (): [string, Operation][] =>
  Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]));

const queryParameters = (method: string, path: string): string[] => (document.paths[path][method].parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('names its schemas under components.schemas, and every $ref points at one', () => {
    expect(Object.keys(document.components.schemas).length).toBeGreaterThan(20);
    const refs = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, member] of Object.entries(value)) {
          if (key === '$ref' && typeof member === 'string') refs.add(member);
          else walk(member);
        }
      }
    };
    walk(document);
    const dangling = [...refs].filter((ref) => !(ref.replace('#/components/schemas/', '') in document.components.schemas));
    expect(dangling).toEqual([]);
  });

  it('documents a success for every operation, and a schema for every body it documents', () => {
    const withoutSuccess = operations().filter(([, op]) => !Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)));
    expect(withoutSuccess.map(([name]) => name)).toEqual([]);
    const withoutSchema = operations().flatMap(([name, op]) =>
      Object.entries(op.responses).flatMap(([status, response]) =>
        Object.entries(response.content ?? {})
          .filter(([, media]) => media.schema === undefined)
          .map(([type]) => `${name} ${status} ${type}`),
      ),
    );
    expect(withoutSchema).toEqual([]);
  });

  it('documents 401 and 503 on every route that knows its caller, and 429 with Retry-After', () => {
    const withoutCaller = new Set(['GET /', 'GET /health', 'GET /api-info', 'GET /api/v1/ingest/status', 'GET /ontologies/vgds.ttl', 'GET /graphql/ide/{asset}', 'GET /graphql/schema.graphql', 'GET /catalog', 'GET /catalog/{organisation}', 'GET /explore', 'GET /explore/config.json', 'GET /explore/assets/{asset}', 'GET /explore/{path}']);
    const missing = operations()
      .filter(([name]) => !withoutCaller.has(name))
      .filter(([, op]) => !['401', '429', '503'].every((status) => status in op.responses))
      .map(([name]) => name);
    expect(missing).toEqual([]);
    expect(document.paths['/ngsi-ld/v1/entities'].get.responses['429']).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });

  it('documents the query language where a route takes it', () => {
    const entityQuery = ['type', 'id', 'idPattern', 'q', 'scopeQ', 'georel', 'geometry', 'coordinates', 'geoproperty', 'local', 'attrs', 'pick', 'omit', 'lang', 'geometryProperty', 'limit', 'offset', 'count'];
    expect(queryParameters('get', '/ngsi-ld/v1/entities')).toEqual(expect.arrayContaining(entityQuery));
    expect(queryParameters('get', '/ngsi-ld/v1/temporal/entities')).toEqual(
      expect.arrayContaining([...entityQuery, 'timerel', 'timeAt', 'endTimeAt', 'timeproperty', 'lastN', 'aggrMethods', 'aggrPeriodDuration']),
    );
    expect(queryParameters('get', '/ngsi-ld/v1/entities/{entityId}')).toEqual(expect.arrayContaining(['attrs', 'pick', 'omit', 'lang', 'geometryProperty', 'options', 'format']));
  });

  it('documents GeoJSON for entity reads and text/event-stream for the change feed', () => {
    expect(document.paths['/ngsi-ld/v1/entities'].get.responses['200'].content?.['application/geo+json'].schema).toEqual({ $ref: '#/components/schemas/FeatureCollection' });
    expect(Object.keys(document.paths['/api/v1/changes'].get.responses['200'].content ?? {})).toEqual(['text/event-stream']);
  });
});
