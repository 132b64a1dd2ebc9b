import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreContextVersion } from 'src/config/app-config';

/** Where the bundled contexts live, from `src/jsonld` and from `dist/jsonld` alike. */
export const ONTOLOGIES_DIR = join(__dirname, '..', '..', 'ontologies');

export const CORE_CONTEXT_URLS: Readonly<Record<CoreContextVersion, string>> = {
  '1.8': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
  '1.9': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld',
};

/** ETSI's unversioned URL, which always names the newest core context; answered with the default one. */
export const UNVERSIONED_CORE_CONTEXT_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld';

/** The NGSI-LD namespace every core term expands into. */
export const NGSI_LD = 'https://uri.etsi.org/ngsi-ld/';

const BUNDLED_FILES: Readonly<Record<string, string>> = {
  [CORE_CONTEXT_URLS['1.8']]: 'ngsi-ld-core-context-v1.8.jsonld',
  [CORE_CONTEXT_URLS['1.9']]: 'ngsi-ld-core-context-v1.9.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'w3id-security-data-integrity-v2.jsonld',
};

const documents = new Map<string, unknown>();

/** A context shipped with the service, or `undefined` for any other URL. Read from disk once. */
export function bundledContext(url: string): unknown {
  const file = BUNDLED_FILES[url];
  if (file === undefined) return undefined;
  let document = documents.get(url);
  if (document === undefined) {
    document = JSON.parse(readFileSync(join(ONTOLOGIES_DIR, 'contexts', file), 'utf8')) as unknown;
    documents.set(url, document);
  }
  return document;
}

/** The core context version a URL names, if it names one. */
export function coreContextVersion(url: string, defaultVersion: CoreContextVersion): CoreContextVersion | undefined {
  if (url === UNVERSIONED_CORE_CONTEXT_URL) return defaultVersion;
  if (url === CORE_CONTEXT_URLS['1.8']) return '1.8';
  if (url === CORE_CONTEXT_URLS['1.9']) return '1.9';
  return undefined;
}
