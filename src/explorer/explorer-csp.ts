import { ExplorerConfig } from 'src/config/explorer-config';

/**
 * The Content-Security-Policy of the explorer's page: the service-wide one (security-headers.ts)
 * widened only where the explorer needs it. Scripts only from this origin (no inline script, no
 * eval); inline style attributes, which Leaflet and uPlot set on the elements they position; images
 * from data: URLs and the tile server when one is configured; requests to this origin and to the
 * OIDC issuer (its discovery document and token endpoint).
 */
export function explorerContentSecurityPolicy(config: ExplorerConfig, oidcIssuer: string | undefined): string {
  const tiles = config.tileUrl ? [originOf(config.tileUrl)] : [];
  const issuer = oidcIssuer && config.oidcClientId ? [originOf(oidcIssuer)] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'", ...issuer],
    'font-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:', ...tiles],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

function originOf(url: string): string {
  // A tile template's host may hold {s} (subdomains): allow every subdomain then.
  const withoutPlaceholders = url.replace(/\{s\}\./, '');
  const { protocol, host } = new URL(withoutPlaceholders.replace(/\{[a-z]+\}/g, '0'));
  return url.includes('{s}.') ? `${protocol}//*.${host}` : `${protocol}//${host}`;
}
