import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TEST_CONTEXTS } from 'src/jsonld/testing/context-fixtures';

export interface ContextServer {
  /** The URL the fixture context `https://contexts.test/<name>` is served at. */
  url(name: string): string;
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Serves the fixture @contexts over real HTTP on loopback (references between them rewritten to
 * this server), plus `/slow.jsonld` that never answers, `/big.jsonld` that is too large, and
 * `/redirect.jsonld` and `/redirect-away.jsonld` that redirect to an allowed and a foreign host.
 */
export async function startContextServer(): Promise<ContextServer> {
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const path = request.url ?? '/';
    if (path === '/slow.jsonld') return; // never answers
    if (path === '/big.jsonld') {
      response.writeHead(200, { 'content-type': 'application/ld+json' });
      response.end(JSON.stringify({ '@context': { padding: 'x'.repeat(2 * 1024 * 1024) } }));
      return;
    }
    if (path === '/redirect-away.jsonld') {
      response.writeHead(302, { location: 'https://contexts.example.com/weather.jsonld' });
      response.end();
      return;
    }
    if (path === '/redirect.jsonld') {
      response.writeHead(302, { location: `${base}/weather.jsonld` });
      response.end();
      return;
    }
    const document = TEST_CONTEXTS[`https://contexts.test${path}`];
    if (document === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/ld+json' });
    response.end(JSON.stringify(document).replaceAll('https://contexts.test', base));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (name) => `${base}/${name}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
