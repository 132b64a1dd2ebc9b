import { AppConfig } from 'src/config/app-config';
import { BadRequestData, InvalidRequest, OperationNotSupported, TooManyResults } from 'src/common/problem/ngsi-ld-errors';
import { isJsonObject } from 'src/jsonld/value-codec';
import { BooleanExpression } from 'src/ngsi-ld/query/boolean-expression';
import { GeoQuery, parseGeoQuery } from 'src/ngsi-ld/query/geo-query';
import { parseQ, QExpression } from 'src/ngsi-ld/query/q-parser';
import { parseScopeQuery, ScopePattern } from 'src/ngsi-ld/query/scope-query';
import { parseTypeExpression } from 'src/ngsi-ld/query/type-expression';
import { RepresentationFormat } from 'src/ngsi-ld/representation/entity-compactor';
import { isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { parseProjection } from 'src/ngsi-ld/entities/dto/projection-param';

export type QueryParams = Record<string, unknown>;

/** How entities are to be shown; names are as the caller wrote them, expanded later. */
export interface Representation {
  readonly format: RepresentationFormat;
  readonly sysAttrs: boolean;
  readonly attrs?: readonly string[];
  readonly pick?: readonly string[];
  readonly omit?: readonly string[];
  /** Accept-Language style preference for LanguageProperty values; "*" for all. */
  readonly lang?: string;
  /** Only these instances of multi-instance attributes ("@none" for the default one). */
  readonly datasetIds?: readonly string[];
  /** The GeoProperty a GeoJSON answer takes its geometry from. */
  readonly geometryProperty?: string;
}

export interface SelectorParams {
  readonly ids?: readonly string[];
  readonly idPattern?: string;
  readonly types?: BooleanExpression<string>;
}

export interface EntityQuery extends Representation {
  readonly entities?: readonly SelectorParams[];
  readonly q?: QExpression;
  readonly scopeQ?: BooleanExpression<ScopePattern>;
  readonly geo?: GeoQuery;
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
const REPRESENTATION_PARAMS = ['attrs', 'pick', 'omit', 'options', 'format', 'lang', 'datasetId', 'geometryProperty'];
const RETRIEVE_PARAMS = new Set(REPRESENTATION_PARAMS);
const FILTER_PARAMS = ['type', 'id', 'idPattern', 'q', 'scopeQ', 'georel', 'geometry', 'coordinates', 'geoproperty'];
const PAGING_PARAMS = ['limit', 'offset', 'count', 'local'];
const QUERY_PARAMS = new Set([...REPRESENTATION_PARAMS, ...FILTER_PARAMS, ...PAGING_PARAMS]);
/** Parameters of the specification for features this broker does not offer: refused, never ignored. */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  csf: 'context source registrations',
  join: 'linked entity retrieval',
  joinLevel: 'linked entity retrieval',
  containedBy: 'linked entity retrieval',
  entityMap: 'entity maps',
  orderBy: 'ordering',
  collation: 'ordering',
  expandValues: 'value expansion',
  via: 'distributed operations',
};

/** Options of write operations: only the named ones, each a known value. */
export function parseWriteOptions(query: QueryParams, allowedOptions: readonly string[]): Set<string> {
  checkNames(query, new Set(allowedOptions.length > 0 ? ['options'] : []));
  const options = list(query, 'options') ?? [];
  for (const option of options) {
    if (!allowedOptions.includes(option)) throw new InvalidRequest(`Unknown option "${option}"; known: ${allowedOptions.join(', ') || 'none'}`);
  }
  return new Set(options);
}

/** datasetId and deleteAll of DELETE .../attrs/{attrId}. */
export function parseAttributeDeletion(query: QueryParams): { datasetId?: string; deleteAll: boolean } {
  checkNames(query, new Set(['datasetId', 'deleteAll']));
  const datasetId = single(query, 'datasetId');
  if (datasetId !== undefined && !isUri(datasetId)) throw new BadRequestData(`datasetId must be a URI, not "${datasetId}"`);
  const deleteAll = single(query, 'deleteAll');
  if (deleteAll !== undefined && deleteAll !== 'true' && deleteAll !== 'false') throw new BadRequestData('deleteAll must be true or false');
  if (datasetId !== undefined && deleteAll === 'true') throw new BadRequestData('datasetId and deleteAll=true exclude each other');
  return { datasetId, deleteAll: deleteAll === 'true' };
}

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
  const type = single(query, 'type');
  const selector: SelectorParams = { ids, idPattern: pattern(single(query, 'idPattern')), types: type === undefined ? undefined : parseTypeExpression(type) };
  const q = single(query, 'q');
  const scopeQ = single(query, 'scopeQ');
  const filters = {
    entities: selector.ids || selector.idPattern !== undefined || selector.types ? [selector] : undefined,
    q: q === undefined ? undefined : parseQ(q),
    scopeQ: scopeQ === undefined ? undefined : parseScopeQuery(scopeQ),
    geo: parseGeoQuery({
      georel: single(query, 'georel'),
      geometry: single(query, 'geometry'),
      coordinates: single(query, 'coordinates'),
      geoproperty: single(query, 'geoproperty'),
    }),
  };
  return completeQuery({ ...parseRepresentation(query), ...filters }, query, config);
}

/**
 * The body of `POST /entityOperations/query` (clause 5.7.2 via 6.23): a Query data type. Paging,
 * count and the representation come from the URL parameters, as for GET.
 */
export function parseQueryBody(body: unknown, query: QueryParams, config: AppConfig): EntityQuery {
  checkNames(query, new Set([...PAGING_PARAMS, 'options', 'format', 'lang', 'geometryProperty']));
  if (!isJsonObject(body)) throw new InvalidRequest('A query must be a JSON object');
  const known = new Set(['@context', 'type', 'entities', 'attrs', 'pick', 'omit', 'q', 'geoQ', 'scopeQ', 'lang', 'datasetId']);
  for (const key of Object.keys(body)) {
    if (key in NOT_SUPPORTED || key === 'csf' || key === 'temporalQ') throw new OperationNotSupported(`Query member "${key}" is not supported`);
    if (!known.has(key)) throw new InvalidRequest(`Unknown query member "${key}"`);
  }
  if (body.type !== 'Query') throw new BadRequestData('A query needs "type": "Query"');
  const entities = body.entities === undefined ? undefined : selectorsOf(body.entities);
  const geoQ = body.geoQ;
  if (geoQ !== undefined && !isJsonObject(geoQ)) throw new BadRequestData('geoQ must be an object');
  const representation = parseRepresentation({
    ...pickParams(query, ['options', 'format', 'geometryProperty']),
    attrs: stringList(body.attrs, 'attrs'),
    pick: stringList(body.pick, 'pick')?.join(','),
    omit: stringList(body.omit, 'omit')?.join(','),
    datasetId: stringList(body.datasetId, 'datasetId'),
    lang: body.lang ?? query.lang,
  });
  return completeQuery(
    {
      ...representation,
      entities,
      q: body.q === undefined ? undefined : parseQ(stringMember(body.q, 'q')),
      scopeQ: body.scopeQ === undefined ? undefined : parseScopeQuery(stringMember(body.scopeQ, 'scopeQ')),
      geo: geoQ === undefined ? undefined : parseGeoQuery(geoQ),
    },
    query,
    config,
  );
}

function completeQuery(
  parsed: Omit<EntityQuery, 'limit' | 'offset' | 'count'>,
  query: QueryParams,
  config: AppConfig,
): EntityQuery {
  const local = single(query, 'local');
  if (local !== undefined && local !== 'true' && local !== 'false') throw new BadRequestData('local must be true or false');
  if (!parsed.entities && !parsed.attrs && !parsed.q && !parsed.geo && !parsed.scopeQ && local !== 'true') {
    // Clause 5.7.2: a query names at least one of these; local=true lists everything this broker holds.
    throw new BadRequestData('A query needs at least one of type, id, idPattern, attrs, q, geoQ or scopeQ (or local=true)');
  }
  const limit = integer(query, 'limit', config.query.defaultLimit);
  if (limit > config.query.maxLimit) {
    throw new TooManyResults(`limit ${limit} is above the maximum page size of ${config.query.maxLimit}`);
  }
  const count = single(query, 'count');
  if (count !== undefined && count !== 'true' && count !== 'false') throw new BadRequestData('count must be true or false');
  if (limit === 0 && count !== 'true') throw new BadRequestData('limit=0 is only allowed with count=true');
  return { ...parsed, limit, offset: integer(query, 'offset', 0), count: count === 'true' };
}

function parseRepresentation(query: QueryParams): Representation {
  const options = list(query, 'options') ?? [];
  for (const option of options) {
    if (!OPTIONS.has(option)) throw new InvalidRequest(`Unknown option "${option}"; known: ${[...OPTIONS].join(', ')}`);
  }
  const formats = new Set(options.filter((o) => o !== 'sysAttrs').map((o) => FORMATS[o]));
  const format = single(query, 'format');
  if (format !== undefined && !(format in FORMATS)) {
    throw new InvalidRequest(`Unknown format "${format}"; known: ${Object.keys(FORMATS).join(', ')}`);
  }
  if (format === undefined && formats.size > 1) throw new InvalidRequest('options names more than one representation');
  const pick = projection(query, 'pick');
  const omit = projection(query, 'omit');
  const attrs = list(query, 'attrs');
  if (pick && omit) throw new BadRequestData('pick and omit cannot be used together');
  if (attrs && (pick || omit)) throw new BadRequestData('attrs cannot be used together with pick or omit');
  const lang = single(query, 'lang');
  if (lang !== undefined && !/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*(;q=[01](\.\d{1,3})?)?)(,\s*(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)(;q=[01](\.\d{1,3})?)?)*$/.test(lang)) {
    throw new BadRequestData(`lang must be a language tag, a list of them (Accept-Language syntax) or "*", not "${lang}"`);
  }
  const datasetIds = list(query, 'datasetId');
  for (const id of datasetIds ?? []) {
    if (id !== '@none' && !isUri(id)) throw new BadRequestData(`datasetId must hold URIs or "@none", not "${id}"`);
  }
  return {
    format: format !== undefined ? FORMATS[format] : ([...formats][0] ?? 'normalized'),
    sysAttrs: options.includes('sysAttrs'),
    attrs,
    pick,
    omit,
    lang,
    datasetIds,
    geometryProperty: single(query, 'geometryProperty'),
  };
}

function selectorsOf(value: unknown): SelectorParams[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequestData('entities must be a non-empty array');
  return value.map((item) => {
    if (!isJsonObject(item)) throw new BadRequestData('each of entities must be an object');
    const { id, idPattern, type } = item;
    if (id !== undefined && !isUri(id)) throw new BadRequestData(`entities: id must be a URI, not ${JSON.stringify(id)}`);
    if (idPattern !== undefined && typeof idPattern !== 'string') throw new BadRequestData('entities: idPattern must be a string');
    if (type !== undefined && typeof type !== 'string') throw new BadRequestData('entities: type must be a string');
    if (id === undefined && idPattern === undefined && type === undefined) throw new BadRequestData('entities: each needs id, idPattern or type');
    return {
      ids: id === undefined ? undefined : [id],
      idPattern: pattern(idPattern),
      types: type === undefined ? undefined : parseTypeExpression(type),
    };
  });
}

function checkNames(query: QueryParams, known: ReadonlySet<string>): void {
  for (const name of Object.keys(query)) {
    if (name in NOT_SUPPORTED) throw new OperationNotSupported(`"${name}" (${NOT_SUPPORTED[name]}) is not supported by this broker`);
    if (!known.has(name)) throw new InvalidRequest(`Unknown query parameter "${name}"; this route takes ${[...known].join(', ') || 'none'}`);
  }
}

function pickParams(query: QueryParams, names: string[]): QueryParams {
  return Object.fromEntries(names.filter((name) => query[name] !== undefined).map((name) => [name, query[name]]));
}

function single(query: QueryParams, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestData(`${name} may be given once`);
  return value;
}

function list(query: QueryParams, name: string): string[] | undefined {
  const value = query[name];
  if (Array.isArray(value)) return value as string[];
  const text = single(query, name);
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item.length === 0)) throw new BadRequestData(`${name} must be a comma-separated list without empty items`);
  return items;
}

function projection(query: QueryParams, name: string): string[] | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  return parseProjection(Array.isArray(value) ? value.join(',') : String(value), name);
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new BadRequestData(`${name} must be a non-empty array of strings`);
  }
  return value as string[];
}

function stringMember(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new BadRequestData(`${name} must be a string`);
  return value;
}

function integer(query: QueryParams, name: string, fallback: number): number {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw new BadRequestData(`${name} must be a whole number from 0 to 999999999`);
  return Number(value);
}

function pattern(idPattern: unknown): string | undefined {
  if (idPattern === undefined) return undefined;
  if (typeof idPattern !== 'string' || idPattern.length === 0 || idPattern.length > 512) {
    throw new BadRequestData('idPattern must be a regular expression of 1 to 512 characters');
  }
  return idPattern;
}
