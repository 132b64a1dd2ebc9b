import { findContractBreaches, OpenApiDocument } from './contract-check';
import { ObservedResponse } from './contract-run';

const document: OpenApiDocument = {
  paths: {
    '/things/{thingId}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { content: { 'application/problem+json': { schema: { type: 'object', required: ['status'] } } } },
        },
      },
      delete: { responses: { '204': {} } },
    },
  },
  components: { schemas: { Thing: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } } },
};

const seen = (answer: Partial<ObservedResponse>): ObservedResponse => ({ file: 'test/e2e/things.e2e-spec.ts', method: 'GET', route: '/things/:thingId', status: 200, ...answer });

describe('findContractBreaches', () => {
  it('passes answers the document describes, bodies included, and HEAD as its GET', () => {
    const answers = [
      seen({ contentType: 'application/json', body: JSON.stringify({ id: '0d9f7d1e-4b8a-4c3e-9f59-2f1e6c9b8a11' }) }),
      seen({ status: 404, contentType: 'application/problem+json', body: '{"status":404}' }),
      seen({ method: 'HEAD', contentType: 'application/json', body: '' }),
      seen({ method: 'DELETE', status: 204 }),
    ];
    expect(findContractBreaches(document, answers)).toEqual([]);
  });

  it('names an undocumented status, content type, operation or route', () => {
    const breaches = findContractBreaches(document, [
      seen({ status: 401, contentType: 'application/problem+json' }),
      seen({ contentType: 'application/ld+json' }),
      seen({ method: 'PUT', status: 204 }),
      seen({ route: '/other', status: 200 }),
    ]);
    expect(breaches.map((b) => `${b.answer}: ${b.problem}`)).toEqual([
      'GET /other -> 200 (no body): the operation is not documented',
      'GET /things/{thingId} -> 200 application/ld+json: content type application/ld+json is not documented for 200 (documented: application/json)',
      'GET /things/{thingId} -> 401 application/problem+json: status 401 is not documented (documented: 200, 404)',
      'PUT /things/{thingId} -> 204 (no body): the operation is not documented',
    ]);
  });

  it('names a body that does not match its schema, through $refs, counting where it was seen', () => {
    const breaches = findContractBreaches(document, [
      seen({ contentType: 'application/json', body: '{"id":"not-a-uuid"}' }),
      seen({ contentType: 'application/json', body: '{"id":"not-a-uuid"}', file: 'test/e2e/more.e2e-spec.ts' }),
      seen({ contentType: 'application/json', body: '{oops' }),
    ]);
    expect(breaches).toEqual([
      expect.objectContaining({ problem: expect.stringMatching(/^the body does not match the documented schema: \/id must match format "uuid"/), count: 2, files: ['test/e2e/more.e2e-spec.ts', 'test/e2e/things.e2e-spec.ts'] }),
      expect.objectContaining({ problem: 'the body is not JSON', count: 1 }),
    ]);
  });

  it('skips CORS preflights and the routes of the description itself', () => {
    const answers = [seen({ method: 'OPTIONS', route: '*', status: 204 }), seen({ route: '/docs/*', contentType: 'text/css' }), seen({ route: '/openapi.json', contentType: 'application/json' })];
    expect(findContractBreaches(document, answers)).toEqual([]);
  });
});
