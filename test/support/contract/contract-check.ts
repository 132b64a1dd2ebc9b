import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ObservedResponse } from './contract-run';

/*
 * Holds what the e2e tests saw the service answer against what /openapi.json says it answers:
 * every route, status and content type observed is documented for that route, and every sampled
 * JSON body validates against the schema documented for it.
 */

interface MediaTypeObject {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
}
interface OperationObject {
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: Record<string, unknown>;
}

/** One way the service answered that its description does not allow, and where it was seen. */
export interface ContractBreach {
  readonly answer: string;
  readonly problem: string;
  readonly count: number;
  readonly files: readonly string[];
}

/** Routes of the description itself (Swagger UI and the document), which it does not list. */
const DESCRIPTION_ROUTES = /^\/(docs(\/.*)?|openapi\.json)$/;
const DOCUMENT_ID = 'https://vg-datashare.invalid/openapi.json';

export function findContractBreaches(document: OpenApiDocument, observed: Iterable<ObservedResponse>): ContractBreach[] {
  const bodies = new BodyValidator(document);
  const breaches = new Map<string, { answer: string; problem: string; count: number; files: Set<string> }>();
  for (const response of observed) {
    // CORS preflights belong to the CORS protocol, not to the API.
    if (response.method === 'OPTIONS' || DESCRIPTION_ROUTES.test(response.route)) continue;
    // A wildcard route (Fastify's "/*", the explorer's deep links) is documented as {path}, as Nest's OpenAPI names it.
    const path = response.route.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{path}');
    const answer = `${response.method} ${path} -> ${response.status} ${response.contentType ?? '(no body)'}`;
    const problem = breachOf(document, bodies, path, response);
    if (problem === undefined) continue;
    const key = `${answer}: ${problem}`;
    const breach = breaches.get(key) ?? { answer, problem, count: 0, files: new Set<string>() };
    breach.count++;
    breach.files.add(response.file);
    breaches.set(key, breach);
  }
  return [...breaches.values()].map((b) => ({ ...b, files: [...b.files].sort() })).sort((a, b) => a.answer.localeCompare(b.answer));
}

function breachOf(document: OpenApiDocument, bodies: BodyValidator, path: string, response: ObservedResponse): string | undefined {
  // A HEAD request is answered as its GET, without the body (RFC 9110, 9.3.2).
  const method = response.method === 'HEAD' ? 'get' : response.method.toLowerCase();
  const operation = document.paths[path]?.[method];
  if (!operation) return 'the operation is not documented';
  const responses = operation.responses ?? {};
  const statusKey = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((key) => key in responses);
  if (statusKey === undefined) return `status ${response.status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
  if (response.contentType === undefined) return undefined;
  const content = responses[statusKey].content ?? {};
  if (!(response.contentType in content)) {
    return `content type ${response.contentType} is not documented for ${statusKey} (documented: ${Object.keys(content).join(', ') || 'no body'})`;
  }
  if (response.body === undefined || response.body === '' || !isJson(response.contentType)) return undefined;
  if (content[response.contentType].schema === undefined) return 'the documented content has no schema';
  return bodies.problemOf(['paths', path, method, 'responses', statusKey, 'content', response.contentType, 'schema'], response.body);
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Validates bodies against schemas of the document, by their place in it, so that its $refs resolve. */
class BodyValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  }

  problemOf(place: readonly string[], body: string): string | undefined {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return 'the body is not JSON';
    }
    const pointer = place.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(value)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return `the body does not match the documented schema: ${errors.join('; ')}`;
  }
}
