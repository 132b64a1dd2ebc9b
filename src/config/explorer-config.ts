import { z } from 'zod';

/*
 * The configuration of the web explorer under /explore: the base map and how people sign in.
 * Part of AppConfig (src/config/app-config.ts); the browser receives it from GET /explore/config.json.
 */
export interface ExplorerConfig {
  /** A Leaflet tile URL template ({z}/{x}/{y}); unset: the map has a plain background and the county's outline. */
  readonly tileUrl: string | undefined;
  /** The attribution the tile provider requires (shown on the map). */
  readonly tileAttribution: string;
  /** The OIDC client (public, authorization code with PKCE) the explorer signs people in with; unset: API keys only. */
  readonly oidcClientId: string | undefined;
  /** The scopes asked for at sign-in. */
  readonly oidcScopes: string;
}

const TILE_TEMPLATE = /^https?:\/\/[^\s/]+\/\S*\{z\}\S*\{x\}\S*\{y\}\S*$/;

/** The environment keys of this area, with their defaults. */
export const EXPLORER_ENV = {
  EXPLORER_TILE_URL: z.string().regex(TILE_TEMPLATE, 'expected an http(s) URL template with {z}, {x} and {y}').optional(),
  EXPLORER_TILE_ATTRIBUTION: z.string().min(1).default('© OpenStreetMap contributors'),
  EXPLORER_OIDC_CLIENT_ID: z.string().min(1).optional(),
  EXPLORER_OIDC_SCOPES: z.string().min(1).default('openid'),
};

type ExplorerEnv = z.infer<z.ZodObject<typeof EXPLORER_ENV>>;

export function explorerConfigOf(e: ExplorerEnv): ExplorerConfig {
  return {
    tileUrl: e.EXPLORER_TILE_URL,
    tileAttribution: e.EXPLORER_TILE_ATTRIBUTION,
    oidcClientId: e.EXPLORER_OIDC_CLIENT_ID,
    oidcScopes: e.EXPLORER_OIDC_SCOPES,
  };
}
