import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import { createApp } from 'src/app.factory';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { AppConfig, loadConfig } from 'src/config/app-config';
import { Sql } from 'src/database/sql';
import { createTestDatabase } from 'test/support/test-database';
import { recordResponses } from 'test/support/contract/response-recorder';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly http: Server;
  readonly config: AppConfig;
  /** The organisation, open dataset and writer API key of requests that send no credentials of their own (see below). */
  readonly writer: { readonly organisation: string; readonly datasetId: string; readonly apiKey: string };
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * `writer` (the default, for the NGSI-LD tests that are not about access): requests without
   * credentials act as a writer of the organisation "e2e", whose open K0 dataset takes every
   * entity. `anonymous`: requests without credentials are anonymous, as in production.
   */
  readonly caller?: 'writer' | 'anonymous';
  /**
   * Organisations registered before the test starts, so that their datasets can be published (the
   * catalog names every publisher). By default the ones the tests use; `[]` for tests of the
   * registry itself.
   */
  readonly organisations?: readonly string[];
}

/** The organisations tests publish datasets of; their registry entries are made up but well formed. */
const TEST_ORGANISATIONS = ['e2e', 'goteborg', 'boras', 'molndal', 'alingsas', 'kungalv', 'lerum', 'ale', 'vgregion', 'platform'];

/** The application as main.ts builds it, on a fresh database of its own. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.VGDS_TEST_LOG_LEVEL ?? 'fatal',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(database.poolSize),
    ...env,
  });
  let app: NestFastifyApplication;
  let writer: TestApp['writer'];
  try {
    app = await createApp(config);
    await registerOrganisations(app, options.organisations ?? TEST_ORGANISATIONS);
    writer = await createWriter(app);
    if ((options.caller ?? 'writer') === 'writer') {
      app.getHttpAdapter().getInstance().addHook('onRequest', (request, _reply, done) => {
        if (request.headers.authorization === undefined && request.headers['x-api-key'] === undefined) request.headers['x-api-key'] = writer.apiKey;
        done();
      });
    }
    await recordResponses(app);
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    app,
    http: app.getHttpServer() as Server,
    config,
    writer,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** Organisation "e2e": an open K0 dataset whose rule takes every entity, and a writer key. */
async function createWriter(app: NestFastifyApplication): Promise<TestApp['writer']> {
  const organisation = 'e2e';
  const datasetId = randomUUID();
  await app.get(Sql).transaction(async (tx) => {
    await tx.query(
      `INSERT INTO dataset (id, organisation, title, description, confidentiality, integrity, availability, open)
       VALUES ($1, $2, '{"sv": "Testdata"}', '{"sv": "Allt som testerna skriver"}', 0, 1, 1, true)`,
      [datasetId, organisation],
    );
    await tx.query(`INSERT INTO dataset_rule (dataset_id, position, id_pattern) VALUES ($1, 0, '.')`, [datasetId]);
  });
  const key = await app.get(ApiKeysService).issue(
    { kind: 'anonymous', subject: 'test-setup', roles: new Set(), mfa: false },
    { name: 'e2e writer', organisation, roles: ['writer'], canRead: true, canWrite: true, datasets: null, expiresAt: null },
  );
  return { organisation, datasetId, apiKey: key!.key };
}

/** Registry entries for `ids`: municipalities with organisation numbers 212000-0NNC (C the Luhn check digit). */
async function registerOrganisations(app: NestFastifyApplication, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const numbers = ids.map((_id, index) => withLuhnCheckDigit(`2120000${String(index + 10).padStart(2, '0')}`));
  await app.get(Sql).query(
    `INSERT INTO organisation (id, name_sv, organisation_number, kind, contact_name, contact_email)
     SELECT id, initcap(id), number, 'municipality', 'Dataansvarig', id || '@example.se' FROM unnest($1::text[], $2::text[]) AS o (id, number)`,
    [ids, numbers],
  );
}

function withLuhnCheckDigit(nine: string): string {
  const sum = [...nine].reduce((total, digit, index) => {
    const doubled = Number(digit) * (index % 2 === 0 ? 2 : 1);
    return total + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return `${nine}${(10 - (sum % 10)) % 10}`;
}
