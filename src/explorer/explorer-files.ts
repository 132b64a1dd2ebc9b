import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ProblemError } from 'src/common/problem/problem-error';

/*
 * The built explorer (web/dist, written by `vite build`; outside dist/ because `nest build`
 * empties dist/). The same path from src/explorer (tests) and dist/explorer (npm start).
 */
export const EXPLORER_DIST = join(__dirname, '..', '..', 'web', 'dist');

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
/** Vite names its output files name-hash.ext: nothing else may reach the file system. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.(js|css|svg|png|json|woff2)$/;

export class ExplorerNotBuilt extends ProblemError {
  constructor() {
    super(
      'urn:vg-datashare:problem:explorer-not-built',
      503,
      'The explorer is not built',
      'web/dist is missing: run `npm run build:web` (npm start builds it when web/ changed), then reload',
    );
  }
}

export interface ExplorerAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Hashed assets never change under their name: read once, kept. */
const assets = new Map<string, ExplorerAsset>();

/** index.html, read on every request (it is small, and a rebuild changes it under a running service). */
export function explorerIndex(): Buffer {
  const file = join(EXPLORER_DIST, 'index.html');
  if (!existsSync(file)) throw new ExplorerNotBuilt();
  return readFileSync(file);
}

/** The built asset of that name, or undefined when there is none. */
export function explorerAsset(name: string): ExplorerAsset | undefined {
  if (!ASSET_NAME.test(name)) return undefined;
  const known = assets.get(name);
  if (known) return known;
  const file = join(EXPLORER_DIST, 'assets', name);
  if (!existsSync(file)) {
    if (!existsSync(EXPLORER_DIST)) throw new ExplorerNotBuilt();
    return undefined;
  }
  const asset = { body: readFileSync(file), contentType: TYPES[extname(name)] };
  assets.set(name, asset);
  return asset;
}
