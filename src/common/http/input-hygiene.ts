import { parse as parseContentType } from 'content-type';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidJsonBody, inspectValue, parseJsonBody } from 'src/common/http/json-body';

/** An error Fastify hands to the error handler with its status; the problem filter names its type by path. */
class ClientInputError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON media types bodies may come as; anything else is 415. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/ld+json', 'application/merge-patch+json'];

/** Methods whose routes take no body: one that comes empty, with a Content-Type or not, is no body. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Bodies: JSON in UTF-8, not compressed, parsed by `parseJsonBody` (which refuses what
 * `JSON.parse` would silently lose or garble). Parameters: every string well-formed Unicode
 * without NUL, which PostgreSQL cannot store. Nothing ill-formed reaches the database.
 */
export function installInputHygiene(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const refused = refusedEncoding(request);
    if (refused) return done(refused, undefined);
    const bytes = body as Buffer;
    if (isBlank(bytes)) {
      if (BODYLESS_METHODS.has(request.method)) return done(null, undefined);
      return done(new ClientInputError(400, 'The body is empty; a JSON document is expected'), undefined);
    }
    try {
      done(null, parseJsonBody(bytes));
    } catch (error) {
      if (!(error instanceof InvalidJsonBody)) throw error;
      done(new ClientInputError(400, error.message), undefined);
    }
  });
  fastify.addHook('preValidation', async (request) => {
    for (const [where, values] of [
      ['path', request.params],
      ['query', request.query],
    ] as const) {
      const { problem } = inspectValue(values);
      if (problem) throw new ClientInputError(400, `The ${where} contains ${problem}`);
    }
  });
}

function isBlank(bytes: Buffer): boolean {
  return bytes.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

function refusedEncoding(request: FastifyRequest): ClientInputError | undefined {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    return new ClientInputError(415, `Content-Encoding ${encoding} is not accepted; send the body uncompressed`);
  }
  const charset = parseContentType(request.headers['content-type'] ?? 'application/json').parameters.charset;
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    return new ClientInputError(415, `charset=${charset} is not accepted; JSON is read as UTF-8`);
  }
  return undefined;
}
