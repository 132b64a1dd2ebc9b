import { loadConfig } from 'src/config/app-config';
import { principalOfClaims } from 'src/auth/token-verifier';

const auth = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env }).auth;

describe('principal of token claims', () => {
  it('reads organisation, known roles and MFA from the default claims', () => {
    const principal = principalOfClaims({ sub: 's1', organisation: 'boras', roles: ['writer', 'unknown'], amr: ['pwd', 'otp'] }, auth());
    expect(principal).toMatchObject({ kind: 'user', subject: 's1', organisation: 'boras', mfa: true });
    expect([...principal.roles]).toEqual(['writer']);
  });

  it('follows dotted claim paths, as Keycloak nests realm roles', () => {
    const config = auth({ AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_ORGANISATION_CLAIM: 'org' });
    const principal = principalOfClaims({ sub: 's1', org: ['vgregion'], realm_access: { roles: ['admin'] } }, config);
    expect(principal.organisation).toBe('vgregion');
    expect([...principal.roles]).toEqual(['admin']);
  });

  it('counts MFA from acr when configured, and not from a password alone', () => {
    expect(principalOfClaims({ sub: 's', amr: ['pwd'] }, auth()).mfa).toBe(false);
    expect(principalOfClaims({ sub: 's', acr: 'gold' }, auth({ AUTH_MFA_ACR: 'gold' })).mfa).toBe(true);
  });

  it('refuses subjects that could pass for API keys, and organisations that are not ids', () => {
    expect(() => principalOfClaims({ sub: 'api-key:035bbec3-1fb1-43d3-8242-f7e75bc571fc' }, auth())).toThrow(/api-key/);
    expect(() => principalOfClaims({ sub: '' }, auth())).toThrow(/sub/);
    expect(() => principalOfClaims({ sub: 123 as unknown as string }, auth())).toThrow(/sub/);
    expect(() => principalOfClaims({ sub: 's', organisation: 'Göteborg' }, auth())).toThrow(/organisation/);
    expect(() => principalOfClaims({ sub: 's', organisation: ['goteborg', 'boras'] }, auth())).toThrow(/organisation/);
  });
});
