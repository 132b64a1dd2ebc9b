import { ApiResponse, ApiResponseOptions, DECORATORS } from '@nestjs/swagger';

/*
 * The pieces every area's OpenAPI decorators are made of: references to the named schemas of
 * components.schemas (each feature declares its own in its *.openapi.ts, app.openapi.ts collects
 * them), the response headers that matter, and one decorator for an answer with its media types.
 */

/** A JSON Schema (OpenAPI 3.1: JSON Schema 2020-12). */
export type JsonSchema = Record<string, unknown>;

/** Named schemas, as a feature contributes them to components.schemas. */
export type SchemaComponents = Readonly<Record<string, JsonSchema>>;

/** A reference to a schema of components.schemas. */
export function schemaRef(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

export function arrayOf(name: string): JsonSchema {
  return { type: 'array', items: schemaRef(name) };
}

const text = { type: 'string' };
const count = { type: 'string', pattern: '^\\d+$' };

/** Response headers, by the name they are sent under. */
export const RESPONSE_HEADERS = {
  Location: { description: 'Where the created resource is', schema: text },
  /** NGSI-LD answers in application/json name their @context this way; lists add their neighbouring pages. */
  Link: {
    description:
      'The JSON-LD @context of an application/json answer (`<url>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`) and, for a page of a list, ' +
      'the next and previous pages (`<url>; rel="next"`, `<url>; rel="prev"`: the same request with another offset)',
    schema: text,
  },
  PageLink: { description: 'The next and previous pages of the list (`<url>; rel="next"`, `<url>; rel="prev"`)', schema: text },
  'NGSILD-Results-Count': { description: 'With count=true: how many entities (or subscriptions) match in all', schema: count },
  'X-Total-Count': { description: 'How many match in all, across pages', schema: count },
  'VGDS-View': {
    description: 'full, or minimised when some of the data is shown through its dataset\'s minimised view (identifiers removed, locations, times and numbers coarsened, small counts withheld)',
    schema: text,
  },
  'Retry-After': { description: 'Seconds to wait before trying again', schema: count },
  'Content-Range': {
    description: 'The time range the returned instances cover (`date-time <from>-<to>/<total or *>`; `lastN` with lastN), when not all fitted',
    schema: text,
  },
  'WWW-Authenticate': { description: 'The authentication schemes that would work', schema: text },
  'Cache-Control': { description: '`no-store`: the answer holds a secret', schema: text },
} as const;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

export interface AnswerOptions {
  /** Media type -> schema of the body; none for an answer without a body. */
  readonly content?: Readonly<Record<string, JsonSchema>>;
  readonly headers?: readonly ResponseHeader[];
  /** An example body, shown with the first media type. */
  readonly example?: unknown;
}

/** The response objects of an answer; also usable for DocumentBuilder.addGlobalResponse. */
export function answer(status: number, description: string, options: AnswerOptions = {}) {
  const mediaTypes = Object.entries(options.content ?? {});
  return {
    status,
    description,
    ...(mediaTypes.length > 0
      ? { content: Object.fromEntries(mediaTypes.map(([type, schema], i) => [type, { schema, ...(i === 0 && options.example !== undefined ? { example: options.example } : {}) }])) }
      : {}),
    ...(options.headers?.length ? { headers: Object.fromEntries(options.headers.map((name) => [name, RESPONSE_HEADERS[name]])) } : {}),
  };
}

/** Documents an answer of the route: status, media types with their schemas, headers. */
export const ApiAnswer = (status: number, description: string, options: AnswerOptions = {}) => ApiResponse(answer(status, description, options));

/** A JSON answer of the /api/v1 routes (DIGG REST profile: application/json). */
export const ApiJsonAnswer = (status: number, description: string, schema: JsonSchema, options: Omit<AnswerOptions, 'content'> = {}) =>
  ApiAnswer(status, description, { ...options, content: { 'application/json': schema } });

/**
 * Documents answers of a route (or of every route of a controller) unless it documents that
 * status itself: shared groups (ApiReadHeaders, ApiPayload...) give the general case, a route's
 * own ApiProblem or ApiAnswer the specific one, whatever the order the decorators are written in.
 */
export function ApiAnswersByDefault(...answers: readonly ApiResponseOptions[]): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor ? (descriptor.value as object) : target;
    const given = (Reflect.getMetadata(DECORATORS.API_RESPONSE, holder) ?? {}) as Record<string, unknown>;
    const missing = answers.filter((option) => !(String(option.status) in given));
    if (missing.length === 0) return;
    const decorate = ApiResponse as (options: ApiResponseOptions) => MethodDecorator & ClassDecorator;
    for (const option of missing) {
      if (descriptor) decorate(option)(target, key!, descriptor);
      else decorate(option)(target as Function);
    }
  };
}
