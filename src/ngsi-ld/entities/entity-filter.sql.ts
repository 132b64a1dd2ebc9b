import { BooleanExpression } from 'src/ngsi-ld/query/boolean-expression';
import {
  EntityFilter,
  EntitySelector,
  ExpandedPath,
  ExpandedQ,
  ExpandedValue,
} from 'src/ngsi-ld/query/entity-filter';
import { ANY_LEVEL, exactScope, ScopePattern } from 'src/ngsi-ld/query/scope-query';
import { attributesCondition, datasetsHiding, MinimisedDatasets, outside } from 'src/ngsi-ld/entities/minimised-filter.sql';
import { geoCondition } from 'src/ngsi-ld/entities/geo-filter.sql';

/*
 * Turns an entity filter into a parameterised WHERE clause over `entity e`. Every value from a
 * request travels as a parameter; what is spliced into the text comes from this file only.
 *
 * A q comparison on a top-level attribute (or its observedAt) is answered from the typed value
 * index, `entity_attr_value`, with a B-tree range scan. Anything deeper (sub-attributes, compound
 * values, other members) reads the same values out of the entity's JSON with a JSON path. Both
 * routes take the same items and compare them with the same typed conditions, so they agree; a
 * test runs every comparison both ways to keep it so (`routes: 'json'`).
 */

export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface CompileOptions {
  /** Answer every q comparison from the JSON, never from the value index (for tests). */
  readonly routes?: 'index' | 'json';
  /** Datasets read through a minimised view: conditions see what the view shows (minimised-filter.sql.ts). */
  readonly minimised?: MinimisedDatasets;
}

/** Conditions on one value item; `columns` names its scalar as number, text, boolean and time. */
interface ItemColumns {
  readonly num: string;
  readonly txt: string;
  readonly bool: string;
  readonly ts: string;
  /** The indexed prefix of `txt`, where there is one (see `textCondition`). */
  readonly txtKey?: (text: string) => string;
}

/**
 * How many leading characters of a text value the value index holds: a B-tree cannot take long
 * texts whole (migration LongTextValues1764520000000, whose index expression this must match).
 */
const TEXT_KEY_LENGTH = 128;
const INDEX_COLUMNS: ItemColumns = {
  num: 'v.num',
  txt: 'v.txt',
  bool: 'v.bool',
  ts: 'v.ts',
  txtKey: (text) => `left(${text}, ${TEXT_KEY_LENGTH})`,
};
/** The same columns computed from a JSON item `x.s`, exactly as the index trigger computes them. */
const JSON_COLUMNS: ItemColumns = {
  num: `(CASE WHEN jsonb_typeof(x.s) = 'number' THEN (x.s)::numeric END)`,
  txt: `(CASE WHEN jsonb_typeof(x.s) = 'string' THEN x.s #>> '{}' END) COLLATE "C"`,
  bool: `(CASE WHEN jsonb_typeof(x.s) = 'boolean' THEN (x.s)::boolean END)`,
  ts: 'vgds_timestamptz(x.s)',
};

/** Where in an attribute instance the values of each kind sit (as `vgds_attribute_items` reads them). */
const MEMBER_PATHS: Readonly<Record<string, string>> = {
  value: ' ? (@.type == "Property").value[*]',
  object: ' ? (@.type == "Relationship").object[*]',
  vocab: ' ? (@.type == "VocabProperty").vocab[*]',
  lang: ' ? (@.type == "LanguageProperty").languageMap.*[*]',
  list: ' ? (@.type == "ListProperty").valueList[*]',
};

export function compileEntityFilter(tenant: string, filter: EntityFilter, params: SqlParameters, options: CompileOptions = {}): string {
  const conditions = [`e.tenant = ${params.add(tenant)}`];
  if (filter.entities && filter.entities.length > 0) {
    const selectors = filter.entities.map((selector) => selectorCondition(selector, params));
    conditions.push(selectors.length === 1 ? selectors[0] : `(${selectors.join(' OR ')})`);
  }
  if (filter.attributes) conditions.push(attributesCondition(filter.attributes, options.minimised, params));
  if (filter.scopes) conditions.push(scopeCondition(filter.scopes, params));
  if (filter.geo) conditions.push(geoCondition(filter.geo, params, options.minimised));
  if (filter.q) conditions.push(new QCompiler(tenant, params, options.routes ?? 'index', options.minimised).compile(filter.q));
  return conditions.join(' AND ');
}

function selectorCondition(selector: EntitySelector, params: SqlParameters): string {
  const parts: string[] = [];
  if (selector.ids) parts.push(`e.id = ANY(${params.add(selector.ids)}::text[])`);
  if (selector.idPattern !== undefined) parts.push(`e.id ~ ${params.add(selector.idPattern)}`);
  if (selector.types) parts.push(typeCondition(selector.types, params));
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
}

function typeCondition(types: BooleanExpression<string>, params: SqlParameters): string {
  if (types.kind === 'leaf') return `e.types @> ARRAY[${params.add(types.leaf)}]::text[]`;
  const leaves = types.terms.every((term) => term.kind === 'leaf') ? types.terms.map((term) => (term as { leaf: string }).leaf) : undefined;
  if (leaves) return `e.types ${types.kind === 'or' ? '&&' : '@>'} ${params.add(leaves)}::text[]`;
  return `(${types.terms.map((term) => typeCondition(term, params)).join(types.kind === 'or' ? ' OR ' : ' AND ')})`;
}

function scopeCondition(scopes: BooleanExpression<ScopePattern>, params: SqlParameters): string {
  if (scopes.kind !== 'leaf') {
    return `(${scopes.terms.map((term) => scopeCondition(term, params)).join(scopes.kind === 'or' ? ' OR ' : ' AND ')})`;
  }
  const pattern = scopes.leaf;
  const exact = exactScope(pattern);
  if (exact !== undefined) return `e.scopes @> ARRAY[${params.add(exact)}]::text[]`;
  if (pattern.descendants && pattern.levels.length === 0) return `cardinality(e.scopes) > 0`;
  if (!pattern.levels.includes(ANY_LEVEL)) {
    const prefix = `/${pattern.levels.join('/')}`;
    return `EXISTS (SELECT 1 FROM unnest(e.scopes) AS s WHERE s = ${params.add(prefix)} OR starts_with(s, ${params.add(`${prefix}/`)}))`;
  }
  // With "+" somewhere: compare level by level ("/a/b" splits into '', 'a', 'b'), as scopeMatches does.
  const count = pattern.levels.length + 1;
  const conditions = [pattern.descendants ? `cardinality(p) >= ${count}` : `cardinality(p) = ${count}`];
  pattern.levels.forEach((level, i) => {
    if (level !== ANY_LEVEL) conditions.push(`p[${i + 2}] = ${params.add(level)}`);
  });
  return `EXISTS (SELECT 1 FROM unnest(e.scopes) AS s, string_to_array(s, '/') AS p WHERE ${conditions.join(' AND ')})`;
}

class QCompiler {
  constructor(
    private readonly tenant: string,
    private readonly params: SqlParameters,
    private readonly routes: 'index' | 'json',
    private readonly minimised: MinimisedDatasets = new Map(),
  ) {}

  compile(q: ExpandedQ): string {
    switch (q.kind) {
      case 'and':
      case 'or':
        return `(${q.terms.map((term) => this.compile(term)).join(q.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${this.compile(q.term)})`;
      default: {
        const numbers = (q.kind === 'compare' && q.values.some((value) => value.kind === 'number')) || (q.kind === 'range' && q.from.kind === 'number');
        return outside(this.leaf(q), datasetsHiding(this.minimised, q.path, numbers), this.params);
      }
    }
  }

  private leaf(q: Exclude<ExpandedQ, { kind: 'and' | 'or' | 'not' }>): string {
    switch (q.kind) {
      case 'exists':
        return this.exists(q.path);
      case 'compare': {
        const op = q.op === '!=' ? '==' : q.op;
        const matches = this.matching(q.path, (columns) =>
          q.values.map((value) => typedCondition(columns, op, value, this.params)).join(' OR '),
        );
        return q.op === '!=' ? this.absent(q.path, matches) : matches;
      }
      case 'range': {
        const matches = this.matching(
          q.path,
          (columns) =>
            `${typedCondition(columns, '>=', q.from, this.params)} AND ${typedCondition(columns, '<=', q.to, this.params)}`,
        );
        return q.negated ? this.absent(q.path, matches) : matches;
      }
      case 'pattern': {
        const regex = this.params.add(q.regex);
        const matches = this.matching(q.path, (columns) => `${columns.txt} ~ ${regex}`);
        return q.negated ? this.absent(q.path, matches) : matches;
      }
    }
  }

  /** The attribute is there but no value matches (`!=`, `!~=`): an absent attribute matches nothing. */
  private absent(path: ExpandedPath, matches: string): string {
    return `(${this.exists(path)} AND NOT ${matches})`;
  }

  private exists(path: ExpandedPath): string {
    if (path.subAttributes.length === 0 && path.member === undefined && path.compound.length === 0) {
      return `e.attr_names @> ARRAY[${this.params.add(path.attribute)}]::text[]`;
    }
    const base = basePath(path);
    const leaf = path.member !== undefined ? `${base}.${path.member}` : path.compound.length > 0 ? compoundPath(base, path.compound) : base;
    return `e.attrs @? ${this.params.add(leaf)}::jsonpath`;
  }

  /** Entities with an item on `path` that satisfies `condition`. */
  private matching(path: ExpandedPath, condition: (columns: ItemColumns) => string): string {
    const topLevel = path.subAttributes.length === 0 && path.compound.length === 0;
    if (this.routes === 'index' && topLevel && (path.member === undefined || path.member === 'observedAt')) {
      return this.fromIndex(path, condition);
    }
    return this.fromJson(path, condition);
  }

  private fromIndex(path: ExpandedPath, condition: (columns: ItemColumns) => string): string {
    const memberCondition =
      path.member === 'observedAt'
        ? `v.member = 'observedAt' AND (${condition(INDEX_COLUMNS)})`
        : `v.member <> 'observedAt' AND (${condition(INDEX_COLUMNS)})`;
    return `e.id IN (SELECT v.entity_id FROM entity_attr_value AS v WHERE v.tenant = ${this.params.add(this.tenant)} AND v.attr = ${this.params.add(path.attribute)} AND ${memberCondition})`;
  }

  private fromJson(path: ExpandedPath, condition: (columns: ItemColumns) => string): string {
    const base = basePath(path);
    const itemPaths =
      path.member !== undefined
        ? [`${base}.${path.member}`]
        : path.compound.length > 0
          ? [`${compoundPath(base, path.compound)}[*]`]
          : Object.values(MEMBER_PATHS).map((member) => base + member);
    const scalar = `CASE WHEN jsonb_typeof(i) = 'object' AND i ? '@value' THEN i -> '@value' ELSE i END`;
    return `(${itemPaths
      .map(
        (itemPath) =>
          `EXISTS (SELECT 1 FROM jsonb_path_query(e.attrs, ${this.params.add(itemPath)}::jsonpath) AS i, LATERAL (SELECT ${scalar} AS s) AS x WHERE ${condition(JSON_COLUMNS)})`,
      )
      .join(' OR ')})`;
  }
}

/** `$."<attribute IRI>"[*]."<sub-attribute IRI>"[*]...`: keys quoted as JSON strings, which JSON path reads alike. */
function basePath(path: ExpandedPath): string {
  return `$${[path.attribute, ...path.subAttributes].map((iri) => `.${JSON.stringify(iri)}[*]`).join('')}`;
}

function compoundPath(base: string, keys: readonly string[]): string {
  return `${base} ? (@.type == "Property").value${keys.map((key) => `.${JSON.stringify(key)}`).join('')}`;
}

const SQL_OPERATORS: Readonly<Record<string, string>> = { '==': '=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/**
 * One comparison on one item's typed columns. Strings are also equal to vocabulary IRIs in their
 * expanded form; a date meets strings as text and date-times as the start of that day (UTC).
 */
function typedCondition(columns: ItemColumns, op: string, value: ExpandedValue, params: SqlParameters): string {
  const sql = SQL_OPERATORS[op];
  switch (value.kind) {
    case 'number':
      return `${columns.num} ${sql} ${params.add(value.value)}::numeric`;
    case 'boolean':
      return `${columns.bool} ${sql} ${params.add(value.value)}::boolean`;
    case 'dateTime':
      return `${columns.ts} ${sql} ${params.add(value.value)}::timestamptz`;
    case 'date':
      return `(${textCondition(columns, op, params.add(value.value))} OR ${columns.ts} ${sql} ${params.add(`${value.value}T00:00:00Z`)}::timestamptz)`;
    case 'time':
    case 'string':
    case 'uri': {
      const text = textCondition(columns, op, params.add(value.value));
      // A term also names its vocabulary IRI, for equality: ordering by an expansion would be meaningless.
      return value.vocab === undefined || op !== '==' ? text : `(${text} OR ${textCondition(columns, op, params.add(value.vocab))})`;
    }
  }
}

/** Comparisons the prefixes of two texts satisfy whenever the texts satisfy `op` ("C" collation). */
const PREFIX_OPERATORS: Readonly<Record<string, string>> = { '==': '=', '>': '>=', '>=': '>=', '<': '<=', '<=': '<=' };

/**
 * A text comparison. On the value index it is also stated on the indexed prefixes, which is what
 * lets PostgreSQL use the index; the whole texts are then compared on the rows it finds.
 */
function textCondition(columns: ItemColumns, op: string, param: string): string {
  const whole = `${columns.txt} ${SQL_OPERATORS[op]} ${param}`;
  if (!columns.txtKey) return whole;
  return `(${columns.txtKey(columns.txt)} ${PREFIX_OPERATORS[op]} ${columns.txtKey(param)} AND ${whole})`;
}
