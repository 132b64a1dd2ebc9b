import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findContractBreaches, OpenApiDocument } from './contract-check';

/*
 * One run of the e2e tests records every answer of the service it built in-process (route, status,
 * content type, a sample of bodies) into a folder of its own, so that the contract check at the end
 * (global-teardown.ts) sees what this run observed and nothing else, also when it ran one file.
 */

/** Names the run; set by global-setup.ts and so inherited by every test file of the run. */
export const CONTRACT_RUN_ENV = 'VGDS_CONTRACT_RUN';
/** `off` switches recording and checking off (for a run that measures something else). */
export const CONTRACT_SWITCH_ENV = 'VGDS_CONTRACT';

/** The run's folder: `openapi.json` (the document the service served) and one `responses-<pid>.ndjson` per test process. */
export function contractRunDir(runId: string): string {
  return join(tmpdir(), `vgds-contract-${runId}`);
}

/** Starts a run: called once by global-setup.ts. */
export function startContractRecording(): void {
  if (process.env[CONTRACT_SWITCH_ENV] === 'off') return;
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  mkdirSync(contractRunDir(runId), { recursive: true });
  process.env[CONTRACT_RUN_ENV] = runId;
}

/** One observed answer, a line of a responses file. */
export interface ObservedResponse {
  /** The test file that made the request (relative to the repository). */
  readonly file: string;
  readonly method: string;
  /** Fastify's route pattern, like /ngsi-ld/v1/entities/:entityId. */
  readonly route: string;
  readonly status: number;
  /** The media type without parameters; absent for answers without a body. */
  readonly contentType?: string;
  /** The body as sent, for a sample of answers. */
  readonly body?: string;
}

/** Breaches listed in full; the rest are counted. */
const LISTED_BREACHES = 60;

/**
 * Ends a run: called once by global-teardown.ts. Holds what the run observed against the document
 * the service served, and fails the run with the list of breaches (keeping the recordings to look
 * at); the recordings go when everything matched.
 */
export function checkRecordedContract(): void {
  const runId = process.env[CONTRACT_RUN_ENV];
  if (!runId) return;
  const dir = contractRunDir(runId);
  const documentFile = join(dir, 'openapi.json');
  if (!existsSync(documentFile)) {
    rmSync(dir, { recursive: true, force: true }); // no test built the service in-process
    return;
  }
  const document = JSON.parse(readFileSync(documentFile, 'utf8')) as OpenApiDocument;
  const observed = readdirSync(dir)
    .filter((name) => name.startsWith('responses-'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => line !== ''))
    .map((line) => JSON.parse(line) as ObservedResponse);
  const breaches = findContractBreaches(document, observed);
  if (breaches.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    console.log(`API contract: ${observed.length} answers (${observed.filter((o) => o.body !== undefined).length} bodies) match /openapi.json`);
    return;
  }
  const listed = breaches.slice(0, LISTED_BREACHES).map((b) => `- ${b.answer}: ${b.problem} (${b.count}x, in ${b.files.join(', ')})`);
  const more = breaches.length > LISTED_BREACHES ? [`... and ${breaches.length - LISTED_BREACHES} more`] : [];
  throw new Error(
    [`The service answered ${breaches.length} way(s) that /openapi.json does not describe (recordings kept in ${dir}):`, ...listed, ...more].join('\n'),
  );
}
