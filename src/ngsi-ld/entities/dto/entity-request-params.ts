import { AppConfig } from 'src/config/app-config';
import { BadRequestData, OperationNotSupported, TooManyResults } from 'src/common/problem/ngsi-ld-errors';
import { RepresentationFormat } from 'src/ngsi-ld/representation/entity-compactor';
import { isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

export type QueryParams = Record<string, unknown>;

export interface Representation {
  readonly format: RepresentationFormat;
  readonly sysAttrs: boolean;
  /** Attribute names as the caller wrote them (expanded with the request's context later). */
  readonly attrs?: readonly string[];
}

export interface EntityQuery extends Representation {
  readonly ids?: readonly string[];
  readonly idPattern?: string;
  readonly types?: readonly string[];
  readonly limit: number;
  readonly offset: number;
  readonly count: boolean;
}

const OPTIONS = new Set(['keyValues', 'simplified', 'concise', 'normalized', 'sysAttrs']);
const FORMATS: Readonly<Record<string, RepresentationFormat>> = {
  normalized: 'normalized',
  keyValues: 'keyValues',
  simplified: 'keyValues',
  concise: 'concise',
};
const RETRIEVE_PARAMS = new Set(['attrs', 'options', 'format']);
const QUERY_PARAMS = new Set([...RETRIEVE_PARAMS, 'type', 'id', 'idPattern', 'limit', 'offset', 'count', 'local']);
/** Parameters of the specification that arrive with later work, refused rather than ignored. */
const NOT_YET_SUPPORTED = new Set([
  'q', 'georel', 'geometry', 'coordinates', 'geoproperty', 'geometryProperty', 'csf', 'scopeQ', 'pick', 'omit',
  'lang', 'datasetId', 'join', 'joinLevel', 'containedBy', 'orderBy', 'collation', 'expandValues', 'entityMap',
]);

export function parseRetrieveParams(query: QueryParams): Representation {
  checkNames(query, RETRIEVE_PARAMS);
  return parseRepresentation(query);
}

export function parseEntityQuery(query: QueryParams, config: AppConfig): EntityQuery {
  checkNames(query, QUERY_PARAMS);
  const ids = list(query, 'id');
  for (const id of ids ?? []) {
    if (!isUri(id)) throw new BadRequestData(`id must hold URIs, not "${id}"`);
  }
  const idPattern = single(query, 'idPattern');
  if (idPattern !== undefined) checkPattern(idPattern);
  const types = list(query, 'type');
  const representation = parseRepresentation(query);
  if (!ids && idPattern === undefined && !types && !representation.attrs && single(query, 'local') !== 'true') {
    throw new BadRequestData('A query needs at least one of type, id, idPattern or attrs (or local=true to list everything)');
  }
  const limit = integer(query, 'limit', config.query.defaultLimit, 0);
  if (limit > config.query.maxLimit) {
    throw new TooManyResults(`limit ${limit} is above the maximum page size of ${config.query.maxLimit}`);
  }
  const count = single(query, 'count');
  if (count !== undefined && count !== 'true' && count !== 'false') throw new BadRequestData('count must be true or false');
  if (limit === 0 && count !== 'true') throw new BadRequestData('limit=0 is only allowed with count=true');
  return {
    ...representation,
    ids,
    idPattern,
    types,
    limit,
    offset: integer(query, 'offset', 0, 0),
    count: count === 'true',
  };
}

function parseRepresentation(query: QueryParams): Representation {
  const options = list(query, 'options') ?? [];
  for (const option of options) {
    if (!OPTIONS.has(option)) throw new BadRequestData(`Unknown option "${option}"; known: ${[...OPTIONS].join(', ')}`);
  }
  const formats = new Set(options.filter((o) => o !== 'sysAttrs').map((o) => FORMATS[o]));
  const format = single(query, 'format');
  if (format !== undefined && !(format in FORMATS)) {
    throw new BadRequestData(`Unknown format "${format}"; known: ${Object.keys(FORMATS).join(', ')}`);
  }
  if (format === undefined && formats.size > 1) throw new BadRequestData('options names more than one representation');
  return {
    format: format !== undefined ? FORMATS[format] : ([...formats][0] ?? 'normalized'),
    sysAttrs: options.includes('sysAttrs'),
    attrs: list(query, 'attrs'),
  };
}

function checkNames(query: QueryParams, known: ReadonlySet<string>): void {
  for (const name of Object.keys(query)) {
    if (NOT_YET_SUPPORTED.has(name)) throw new OperationNotSupported(`The query parameter "${name}" is not supported yet`);
    if (!known.has(name)) throw new BadRequestData(`Unknown query parameter "${name}"`);
  }
}

function single(query: QueryParams, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestData(`${name} may be given once`);
  return value;
}

function list(query: QueryParams, name: string): string[] | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item.length === 0)) throw new BadRequestData(`${name} must be a comma-separated list without empty items`);
  return items;
}

function integer(query: QueryParams, name: string, fallback: number, min: number): number {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) throw new BadRequestData(`${name} must be a whole number ≥ ${min}`);
  return Number(value);
}

/** POSIX regular expressions are checked by PostgreSQL; here only what JavaScript can already reject. */
function checkPattern(pattern: string): void {
  if (pattern.length > 512) throw new BadRequestData('idPattern is too long');
}
