import { Principal, Role } from 'src/auth/principal';
import { ANONYMOUS } from 'src/auth/principal';
import { DatasetPolicyFacts, GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { accessRights, canAdminister, canRead, canWrite, mayCombine } from 'src/governance/policy';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { AccessContext } from 'src/common/access/access-context';

const dataset = (id: string, confidentiality: number, extra: Partial<DatasetPolicyFacts> = {}): DatasetPolicyFacts => ({
  id,
  organisation: 'goteborg',
  confidentiality,
  open: false,
  retired: false,
  ...extra,
});
const user = (organisation: string | undefined, extra: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: 'u1',
  organisation,
  roles: new Set<Role>(),
  mfa: false,
  ...extra,
});
const key = (organisation: string, scope: Partial<NonNullable<Principal['apiKey']>> = {}): Principal => ({
  kind: 'api-key',
  subject: 'api-key:k1',
  organisation,
  roles: new Set<Role>(),
  mfa: false,
  apiKey: { keyId: 'k1', canRead: true, canWrite: false, ...scope },
});

const open = dataset('open', 0, { open: true });
const k1 = dataset('k1', 1);
const k2 = dataset('k2', 2);
const k3 = dataset('k3', 3);
const snapshot = new GovernanceSnapshot('1', [open, k1, k2, k3], [
  { datasetId: 'k2', granteeKind: 'organisation', grantee: 'boras' },
  { datasetId: 'k3', granteeKind: 'principal', grantee: 'u1' },
], []);
const readable = (principal: Principal) => [open, k1, k2, k3].filter((d) => canRead(principal, d, snapshot)).map((d) => d.id);

describe('reading', () => {
  it('gives anonymous callers open data only', () => {
    expect(readable(ANONYMOUS)).toEqual(['open']);
  });

  it('gives members K1, the owner and granted organisations K2, granted principals with MFA K3', () => {
    expect(readable(user('kungalv'))).toEqual(['open', 'k1']);
    expect(readable(user('goteborg', { subject: 'other' }))).toEqual(['open', 'k1', 'k2']);
    expect(readable(user('boras', { subject: 'other' }))).toEqual(['open', 'k1', 'k2']);
    expect(readable(user('kungalv', { mfa: false }))).toEqual(['open', 'k1']);
    expect(readable(user('kungalv', { mfa: true }))).toEqual(['open', 'k1', 'k3']);
  });

  it('gives a token without organisation open data only', () => {
    expect(readable(user(undefined, { mfa: true }))).toEqual(['open']);
  });

  it('limits API keys to their scope, never K3, and to open data without read rights', () => {
    expect(readable(key('goteborg'))).toEqual(['open', 'k1', 'k2']);
    expect(readable(key('goteborg', { datasets: new Set(['k2']) }))).toEqual(['open', 'k2']);
    expect(readable(key('goteborg', { canRead: false }))).toEqual(['open']);
  });

  it('shows a retired dataset to its own organisation only', () => {
    const retired = dataset('old', 0, { open: true, retired: true });
    expect(canRead(ANONYMOUS, retired, snapshot)).toBe(false);
    expect(canRead(user('goteborg'), retired, snapshot)).toBe(true);
  });
});

describe('writing and administering', () => {
  it('lets the owning organisation write with the writer role or a write key in scope', () => {
    expect(canWrite(user('goteborg', { roles: new Set(['writer']) }), k2)).toBe(true);
    expect(canWrite(user('goteborg'), k2)).toBe(false);
    expect(canWrite(user('boras', { roles: new Set(['writer']) }), k2)).toBe(false);
    expect(canWrite(key('goteborg', { canWrite: true }), k2)).toBe(true);
    expect(canWrite(key('goteborg', { canWrite: true, datasets: new Set(['k1']) }), k2)).toBe(false);
    expect(canWrite(ANONYMOUS, open)).toBe(false);
  });

  it('needs MFA for administrators with tokens', () => {
    expect(canAdminister(user('goteborg', { roles: new Set(['admin']) }), 'goteborg')).toBe(false);
    expect(canAdminister(user('goteborg', { roles: new Set(['admin']), mfa: true }), 'goteborg')).toBe(true);
    expect(canAdminister(user('goteborg', { roles: new Set(['admin']), mfa: true }), 'boras')).toBe(false);
    expect(canAdminister(user('x', { roles: new Set(['platform-admin']), mfa: true }), 'boras')).toBe(true);
    expect(canAdminister({ ...key('goteborg'), roles: new Set(['admin']) }, 'goteborg')).toBe(true);
  });
});

describe('combination rules and access rights', () => {
  it('demands the combined level on every dataset of the rule', () => {
    const rule = { id: 'r', name: 'r', datasets: ['k1', 'k2'], confidentiality: 2 };
    expect(mayCombine(user('kungalv'), rule, snapshot)).toBe(false);
    expect(mayCombine(user('goteborg', { subject: 'x' }), rule, snapshot)).toBe(true);
    expect(mayCombine(user('goteborg', { mfa: true }), { ...rule, confidentiality: 3 }, snapshot)).toBe(false);
  });

  it('names the rule a read over several datasets breaks, only when it draws on all of the rule’s datasets', () => {
    const rule = { id: 'r', name: 'r', datasets: ['open', 'k1'], confidentiality: 2 };
    const withRule = new GovernanceSnapshot('2', [open, k1, k2, k3], [], [rule]);
    const policy = new PolicyDecisionPoint();
    const kungalv = policy.readable(new AccessContext('', withRule, user('kungalv')));
    expect(policy.combinationBrokenBy(kungalv, ['open', 'k1'])).toEqual(rule);
    expect(policy.combinationBrokenBy(kungalv, ['k1', 'open', 'k2'])).toEqual(rule);
    expect(policy.combinationBrokenBy(kungalv, ['k1'])).toBeUndefined();
    const goteborg = policy.readable(new AccessContext('', withRule, user('goteborg')));
    expect(policy.combinationBrokenBy(goteborg, ['open', 'k1'])).toBeUndefined();
  });

  it('maps classification to dct:accessRights', () => {
    expect([open, k1, k2, k3].map(accessRights)).toEqual(['PUBLIC', 'RESTRICTED', 'NON_PUBLIC', 'NON_PUBLIC']);
  });
});
