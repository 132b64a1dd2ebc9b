import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { CONTRACT_RUN_ENV, contractRunDir, ObservedResponse } from 'test/support/contract/contract-run';

/** Bodies kept per method, route, status and content type in one test file: enough to catch a wrong shape, little to write. */
const SAMPLES_PER_KIND = 5;
/** Larger bodies are not sampled (bulk answers of load tests). */
const MAX_SAMPLE_BYTES = 256 * 1024;
const ROOT = join(__dirname, '..', '..', '..');

/** Counts of sampled bodies; one module instance per test file, so each file samples its own. */
const sampled = new Map<string, number>();

/**
 * Records every answer `app` gives during this run of the e2e tests (nothing when no run is
 * recording): a line per answer, written when the answer is done, also for answers written to the
 * raw response (the SSE change feed). Answers to requests no route matched are not recorded.
 */
export async function recordResponses(app: NestFastifyApplication): Promise<void> {
  const runId = process.env[CONTRACT_RUN_ENV];
  if (!runId) return;
  const dir = contractRunDir(runId);
  const file = join(dir, `responses-${process.pid}.ndjson`);
  const testFile = relative(ROOT, expect.getState().testPath ?? 'unknown');
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const bodies = new WeakMap<object, string>();

  fastify.addHook('onSend', (request, reply, payload, done) => {
    const route = request.routeOptions.url;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    if (route !== undefined && text !== undefined && text.length <= MAX_SAMPLE_BYTES) {
      const kind = `${request.method} ${route} ${reply.statusCode} ${mediaTypeOf(reply.getHeader('content-type'))}`;
      const count = sampled.get(kind) ?? 0;
      if (count < SAMPLES_PER_KIND) {
        sampled.set(kind, count + 1);
        bodies.set(reply.raw, text);
      }
    }
    done(null, payload);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route === undefined) return done(); // the router found nothing: a 404 of no route
    const raw = reply.raw;
    raw.once('close', () => {
      if (!raw.headersSent) return; // the client left before any answer
      const observed: ObservedResponse = {
        file: testFile,
        method: request.method,
        route,
        status: raw.statusCode,
        contentType: mediaTypeOf(raw.getHeader('content-type')),
        body: bodies.get(raw),
      };
      appendFileSync(file, `${JSON.stringify(observed)}\n`);
    });
    done();
  });

  // The document the answers are held against: the one this service serves.
  const document = join(dir, 'openapi.json');
  if (!existsSync(document)) {
    const served = await fastify.inject({ method: 'GET', url: '/openapi.json' });
    // Written whole or not at all: test files in parallel workers may get here together.
    writeFileSync(`${document}.${process.pid}`, served.body);
    renameSync(`${document}.${process.pid}`, document);
  }
}

function mediaTypeOf(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  return String(Array.isArray(header) ? header[0] : header).split(';')[0].trim().toLowerCase() || undefined;
}
