import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { Sql } from 'src/database/sql';
import { startIdentityProvider, IdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Random worlds of datasets, grants and callers: whatever the mix, a query never returns an
 * entity above the caller's clearance, and returns every entity within it. The expectation is
 * the issue's table of rights, written out again here independently of src/governance/policy.ts.
 */

const ORGANISATIONS = ['alingsas', 'boras', 'kungalv'];
const SUBJECTS = ['p1', 'p2', 'p3'];

interface WorldDataset {
  organisation: string;
  confidentiality: number;
  open: boolean;
  retired: boolean;
  organisationGrant?: string;
  principalGrant?: string;
  entities: number;
}
type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; subject: string; organisation?: string; mfa: boolean }
  | { kind: 'key'; organisation: string; read: boolean; scope?: number[] };

const datasetArb: fc.Arbitrary<WorldDataset> = fc
  .record({
    organisation: fc.constantFrom(...ORGANISATIONS),
    confidentiality: fc.integer({ min: 0, max: 3 }),
    open: fc.boolean(),
    retired: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
    organisationGrant: fc.option(fc.constantFrom(...ORGANISATIONS), { nil: undefined }),
    principalGrant: fc.option(fc.constantFrom(...SUBJECTS), { nil: undefined }),
    entities: fc.integer({ min: 1, max: 3 }),
  })
  .map((d) => ({ ...d, open: d.open && d.confidentiality === 0 }));

const callerArb = (datasets: number): fc.Arbitrary<Caller> =>
  fc.oneof(
    fc.constant({ kind: 'anonymous' as const }),
    fc.record({
      kind: fc.constant('user' as const),
      subject: fc.constantFrom(...SUBJECTS),
      organisation: fc.option(fc.constantFrom(...ORGANISATIONS), { nil: undefined }),
      mfa: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('key' as const),
      organisation: fc.constantFrom(...ORGANISATIONS),
      read: fc.boolean(),
      scope: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: datasets - 1 }), { maxLength: datasets }), { nil: undefined }),
    }),
  );

/** The rights of the issue, restated: K0 open everyone; K1 members; K2 owner and grantees; K3 granted principals with MFA. */
function mayRead(caller: Caller, d: WorldDataset, index: number): boolean {
  const organisation = caller.kind === 'anonymous' ? undefined : caller.organisation;
  const keyAllows = caller.kind !== 'key' || (caller.read && (caller.scope === undefined || caller.scope.includes(index)));
  if (d.retired) return organisation === d.organisation && keyAllows;
  if (d.open) return true;
  if (!keyAllows || organisation === undefined) return false;
  const principalGranted = caller.kind === 'user' && d.principalGrant === caller.subject;
  if (d.confidentiality <= 1) return true;
  if (d.confidentiality === 2) return organisation === d.organisation || d.organisationGrant === organisation || principalGranted;
  return caller.kind === 'user' && caller.mfa && principalGranted;
}

let idp: IdentityProvider;
let t: TestApp;

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous' });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

async function build(world: WorldDataset[], tenant: string): Promise<{ ids: string[]; entitiesOf: string[][] }> {
  const ids = world.map(() => randomUUID());
  const entitiesOf: string[][] = [];
  await t.app.get(Sql).transaction(async (tx) => {
    for (const [i, d] of world.entries()) {
      await tx.query(
        `INSERT INTO dataset (id, organisation, title, description, confidentiality, integrity, availability, open, retired_at)
         VALUES ($1, $2, '{"sv": "x"}', '{"sv": "x"}', $3, 1, 1, $4, CASE WHEN $5 THEN now() END)`,
        [ids[i], d.organisation, d.confidentiality, d.open, d.retired],
      );
      for (const [kind, grantee] of [['organisation', d.organisationGrant], ['principal', d.principalGrant]] as const) {
        if (grantee) await tx.query(`INSERT INTO dataset_grant (id, dataset_id, grantee_kind, grantee, created_by) VALUES ($1, $2, $3, $4, 'test')`, [randomUUID(), ids[i], kind, grantee]);
      }
      const entityIds = Array.from({ length: d.entities }, (_, k) => `urn:ngsi-ld:Thing:${i}-${k}`);
      entitiesOf.push(entityIds);
      await tx.query(
        `INSERT INTO entity (tenant, id, types, attrs, created_at, modified_at, dataset_id, dataset_explicit)
         SELECT $1, id, ARRAY['https://uri.etsi.org/ngsi-ld/default-context/Thing'], '{}', now(), now(), $3, true FROM unnest($2::text[]) AS id`,
        [tenant, entityIds, ids[i]],
      );
    }
  });
  return { ids, entitiesOf };
}

async function headersFor(caller: Caller, datasetIds: string[]): Promise<Record<string, string>> {
  if (caller.kind === 'anonymous') return {};
  if (caller.kind === 'user') {
    const token = await idp.token({ sub: caller.subject, organisation: caller.organisation, amr: caller.mfa ? ['pwd', 'otp'] : ['pwd'] });
    return { authorization: `Bearer ${token}` };
  }
  const key = await t.app.get(ApiKeysService).issue(
    { kind: 'anonymous', subject: 'test-setup', roles: new Set(), mfa: false },
    { name: 'random', organisation: caller.organisation, roles: [], canRead: caller.read, canWrite: false, datasets: caller.scope?.map((i) => datasetIds[i]) ?? null, expiresAt: null },
  );
  return { 'x-api-key': key!.key };
}

it('never shows an entity above the caller’s clearance, and hides none within it', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(datasetArb, { minLength: 1, maxLength: 6 }).chain((world) => fc.tuple(fc.constant(world), fc.array(callerArb(world.length), { minLength: 1, maxLength: 5 }))),
      async ([world, callers]) => {
        const tenant = `property-${run++}`;
        const { ids, entitiesOf } = await build(world, tenant);
        for (const caller of callers) {
          const expected = world.flatMap((d, i) => (mayRead(caller, d, i) ? entitiesOf[i] : [])).sort();
          const res = await request(t.http)
            .get('/ngsi-ld/v1/entities?type=Thing&limit=1000')
            .set({ ...(await headersFor(caller, ids)), 'ngsild-tenant': tenant })
            .expect(200);
          expect({ caller, ids: res.body.map((e: { id: string }) => e.id).sort() }).toEqual({ caller, ids: expected });
        }
      },
    ),
    { numRuns: 40 },
  );
}, 120_000);
