import { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { SecurityConfig } from 'src/config/security-config';

/*
 * Security headers on every answer, as helmet composes them, set in an onRequest hook on the raw
 * response, so that they stay on problem details, 404s and streams written to the raw response
 * (the SSE change feed) alike. They are computed once: helmet's middleware, called per request
 * (as @fastify/helmet does), rebuilds and re-parses the whole policy every time.
 */

/**
 * The answers are data, plus one page: Swagger UI at /docs, which loads its scripts, styles and
 * the OpenAPI document from this origin, draws icons from data: URLs and has inline <style>
 * blocks (hence 'unsafe-inline' for styles, never for scripts). Nothing may frame the service.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
  },
};

export function securityHeaderOptions(security: SecurityConfig): HelmetOptions {
  return {
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    // Open data is read from pages of other origins (CORS is open): helmet's same-origin default would block no-cors reads.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only where clients reach the service over TLS (a proxy in front usually terminates it).
    strictTransportSecurity: security.hstsMaxAgeSeconds > 0 ? { maxAge: security.hstsMaxAgeSeconds, includeSubDomains: false } : false,
  };
}

/** The headers helmet sets for these options (none of them depends on the request). */
export function securityHeaders(security: SecurityConfig): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  let failure: unknown;
  helmet(securityHeaderOptions(security))({} as IncomingMessage, collector as unknown as ServerResponse, (error) => (failure = error));
  if (failure !== undefined) throw failure;
  return headers;
}

/** Sets the headers on every answer, the not-found handler and errors included. */
export function installSecurityHeaders(fastify: FastifyInstance, security: SecurityConfig): void {
  const headers = Object.entries(securityHeaders(security));
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}

/**
 * The headers that matter for answers to requests refused before routing, which helmet's hook
 * never sees (Node's parser refusing them, Fastify's router refusing a malformed URL): a small
 * problem document that is never a page.
 */
export function headersBeforeRouting(security: SecurityConfig): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    ...(security.hstsMaxAgeSeconds > 0 ? { 'Strict-Transport-Security': `max-age=${security.hstsMaxAgeSeconds}` } : {}),
  };
}
