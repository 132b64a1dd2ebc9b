import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GRAPHIQL_START_SCRIPT, PAGE_STYLE } from 'src/graphql/ide/graphiql-start';

/*
 * The IDE's files, from the installed packages (no CDN: the IDE works where the service works,
 * offline and behind firewalls included). Read once, on first use: GraphiQL is a megabyte.
 */

export interface IdeAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A digest of the body: in the page's URLs (so that an upgrade changes them) and as ETag. */
  readonly version: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Where each asset comes from: a file of an installed package, or the start script of ours. */
const SOURCES: Readonly<Record<string, { readonly contentType: string; readonly read: () => Buffer }>> = {
  'react.production.min.js': { contentType: JS, read: () => packageFile('react', 'umd/react.production.min.js') },
  'react-dom.production.min.js': { contentType: JS, read: () => packageFile('react-dom', 'umd/react-dom.production.min.js') },
  'graphiql.min.js': { contentType: JS, read: () => packageFile('graphiql', 'dist/index.umd.js') },
  'graphiql.min.css': { contentType: CSS, read: () => packageFile('graphiql', 'dist/style.css') },
  'start.js': { contentType: JS, read: () => Buffer.from(GRAPHIQL_START_SCRIPT) },
  'page.css': { contentType: CSS, read: () => Buffer.from(PAGE_STYLE) },
};

/** The asset names, in the order the page loads the scripts (React before GraphiQL, our start last). */
export const IDE_ASSET_NAMES = Object.keys(SOURCES);

const loaded = new Map<string, IdeAsset>();

/** The asset of that name, or undefined for a name that is none. */
export function ideAsset(name: string): IdeAsset | undefined {
  const source = Object.hasOwn(SOURCES, name) ? SOURCES[name] : undefined;
  if (!source) return undefined;
  let asset = loaded.get(name);
  if (!asset) {
    const body = source.read();
    asset = { body, contentType: source.contentType, version: createHash('sha256').update(body).digest('base64url').slice(0, 16) };
    loaded.set(name, asset);
  }
  return asset;
}

function packageFile(name: string, file: string): Buffer {
  // Through require.resolve, so that the files are found wherever npm put the package.
  return readFileSync(join(dirname(require.resolve(`${name}/package.json`)), file));
}
