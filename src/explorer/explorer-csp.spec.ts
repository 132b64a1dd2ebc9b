import { explorerContentSecurityPolicy } from 'src/explorer/explorer-csp';

const plain = { tileUrl: undefined, tileAttribution: 'x', oidcClientId: undefined, oidcScopes: 'openid' };

describe('the explorer page\'s Content-Security-Policy', () => {
  it('allows scripts from this origin only, and nothing else to connect to without tiles or sign-in', () => {
    const csp = explorerContentSecurityPolicy(plain, 'https://id.example.se/realms/vgr');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('adds the tile server to images, subdomains included for a {s} template, and the issuer to connections', () => {
    const csp = explorerContentSecurityPolicy(
      { ...plain, tileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', oidcClientId: 'explorer' },
      'https://id.example.se/realms/vgr',
    );
    expect(csp).toContain("img-src 'self' data: https://*.tile.openstreetmap.org;");
    expect(csp).toContain("connect-src 'self' https://id.example.se;");
  });
});
