// A small closed-loop load generator: `concurrency` clients each send the next request as soon as
// the previous one is answered, for `seconds`. Latencies are kept whole for exact percentiles.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function send({ base, method = 'GET', path, body, headers = {} }) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const started = process.hrtime.bigint();
    const req = http.request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let size = 0;
      res.on('data', (chunk) => (size += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, size }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function run({ base, seconds, concurrency, next, expectStatus }) {
  const latencies = [];
  let failures = 0;
  const statuses = {};
  const deadline = Date.now() + seconds * 1000;
  let sequence = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const request = next(sequence++);
        const { status, ms } = await send({ base, ...request });
        if (!expectStatus.includes(status)) failures++;
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(ms);
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  return { ...summarize(latencies, elapsed, failures), latencies, elapsed, statuses };
}

/** One summary of several runs (slices of the same measurement). */
export function merge(runs) {
  return summarize(
    runs.flatMap((r) => r.latencies),
    runs.reduce((sum, r) => sum + r.elapsed, 0),
    runs.reduce((sum, r) => sum + r.failures, 0),
  );
}

export function summarize(latencies, elapsedSeconds, failures = 0) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return {
    requests: sorted.length,
    failures,
    perSecond: sorted.length / elapsedSeconds,
    p50: at(50),
    p95: at(95),
    p99: at(99),
  };
}
