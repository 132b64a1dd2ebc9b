import { AppConfig } from 'src/config/app-config';
import { BadRequestData, InvalidRequest } from 'src/common/problem/ngsi-ld-errors';
import { isJsonObject, JsonObject } from 'src/jsonld/value-codec';
import { EntityQuery, parseEntityQuery, parseQueryBody, parseRetrieveParams, QueryParams, Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { utcInstantOf } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { microsOf } from 'src/ngsi-ld/temporal/temporal-paging';

/** Which time of an instance a temporal query is about (clause 4.11). */
export type TimeProperty = 'observedAt' | 'createdAt' | 'modifiedAt';
export const AGGREGATION_METHODS = ['totalCount', 'distinctCount', 'sum', 'avg', 'min', 'max', 'stddev', 'sumsq'] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];

/** The temporal part of a query: which instances of each attribute (clause 4.11, 5.7.3, 5.7.4). */
export interface TemporalFilter {
  readonly timerel?: 'before' | 'after' | 'between';
  readonly timeAt?: string;
  readonly endTimeAt?: string;
  readonly timeproperty: TimeProperty;
  /** Only the last N instances (or aggregation periods) of each attribute. */
  readonly lastN?: number;
}

/** Aggregation period: a fixed length (an ISO 8601 duration), a number of calendar months, or the whole time range. */
export type AggregationPeriod = { readonly fixed: string } | { readonly months: number } | { readonly whole: true };

export type TemporalFormat =
  | { readonly kind: 'normalized' }
  | { readonly kind: 'temporalValues' }
  | { readonly kind: 'aggregatedValues'; readonly methods: readonly AggregationMethod[]; readonly period: AggregationPeriod };

export interface TemporalRepresentation extends Representation {
  readonly temporal: TemporalFormat;
}

export interface TemporalQuery extends EntityQuery {
  readonly temporal: TemporalFormat;
  readonly time: TemporalFilter;
}

const TIME_PARAMS = ['timerel', 'timeAt', 'endTimeAt', 'timeproperty', 'lastN'];
const AGGREGATION_PARAMS = ['aggrMethods', 'aggrPeriodDuration'];
const TEMPORAL_FORMATS = ['temporalValues', 'aggregatedValues'];
/** ISO 8601 durations: years, months, weeks, days, then after T hours, minutes and seconds. */
const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
/** Periods longer than this are no use and would overflow PostgreSQL's intervals. */
const MAX_PERIOD_YEARS = 10_000;
const SECONDS_PER_UNIT = [7 * 86_400, 86_400, 3_600, 60, 1];

/** GET /temporal/entities: the entity query of /entities plus the temporal parameters. */
export function parseTemporalQuery(query: QueryParams, config: AppConfig): TemporalQuery {
  const { rest, time, temporal } = splitTemporal(query);
  return { ...parseEntityQuery(rest, config), time, temporal };
}

/** GET /temporal/entities/{id}. */
export function parseTemporalRetrieve(query: QueryParams): TemporalRepresentation & { readonly time: TemporalFilter } {
  const { rest, time, temporal } = splitTemporal(query);
  return { ...parseRetrieveParams(rest), time, temporal };
}

/** POST /temporal/entityOperations/query: a Query with temporalQ in the body; representation and paging in the URL. */
export function parseTemporalQueryBody(body: unknown, query: QueryParams, config: AppConfig): TemporalQuery {
  if (!isJsonObject(body)) throw new InvalidRequest('A query must be a JSON object');
  const { temporalQ, ...entityPart } = body;
  if (temporalQ !== undefined && !isJsonObject(temporalQ)) throw new BadRequestData('temporalQ must be an object');
  for (const key of Object.keys(temporalQ ?? {})) {
    if (!TIME_PARAMS.includes(key)) throw new BadRequestData(`Unknown temporalQ member "${key}"; known: ${TIME_PARAMS.join(', ')}`);
  }
  const { rest, temporal } = splitTemporal(query, true);
  const time = parseTimeFilter(asParams(temporalQ ?? {}));
  return { ...parseQueryBody(entityPart, rest, config), time, temporal };
}

function splitTemporal(query: QueryParams, timeInBody = false): { rest: QueryParams; time: TemporalFilter; temporal: TemporalFormat } {
  const rest: QueryParams = {};
  const temporalParams: QueryParams = {};
  for (const [name, value] of Object.entries(query)) {
    if (TIME_PARAMS.includes(name) && timeInBody) throw new BadRequestData(`${name} belongs in the query's temporalQ`);
    if (TIME_PARAMS.includes(name) || AGGREGATION_PARAMS.includes(name)) temporalParams[name] = value;
    else rest[name] = value;
  }
  const options = listOf(rest.options, 'options');
  const temporalOptions = options.filter((option) => TEMPORAL_FORMATS.includes(option));
  if (options.length > 0) rest.options = options.filter((option) => !TEMPORAL_FORMATS.includes(option)).join(',') || undefined;
  if (rest.options === undefined) delete rest.options;
  let format = typeof rest.format === 'string' && TEMPORAL_FORMATS.includes(rest.format) ? rest.format : undefined;
  if (format !== undefined) delete rest.format;
  if (temporalOptions.length > 1 || (format !== undefined && temporalOptions.length > 0 && temporalOptions[0] !== format)) {
    throw new BadRequestData('Ask for one temporal representation: temporalValues or aggregatedValues');
  }
  format ??= temporalOptions[0];
  return { rest, time: timeInBody ? { timeproperty: 'observedAt' } : parseTimeFilter(temporalParams), temporal: parseFormat(format, temporalParams) };
}

function parseFormat(format: string | undefined, params: QueryParams): TemporalFormat {
  const methods = params.aggrMethods;
  const duration = params.aggrPeriodDuration;
  if (format !== 'aggregatedValues') {
    if (methods !== undefined || duration !== undefined) throw new BadRequestData('aggrMethods and aggrPeriodDuration need format=aggregatedValues');
    return { kind: format === 'temporalValues' ? 'temporalValues' : 'normalized' };
  }
  if (methods === undefined) throw new BadRequestData(`format=aggregatedValues needs aggrMethods (some of ${AGGREGATION_METHODS.join(', ')})`);
  const asked = listOf(methods, 'aggrMethods');
  for (const method of asked) {
    if (!(AGGREGATION_METHODS as readonly string[]).includes(method)) {
      throw new BadRequestData(`Unknown aggregation method "${method}"; known: ${AGGREGATION_METHODS.join(', ')}`);
    }
  }
  return { kind: 'aggregatedValues', methods: [...new Set(asked)] as AggregationMethod[], period: parsePeriod(singleOf(duration, 'aggrPeriodDuration')) };
}

/**
 * PT1H, P1D, P7D, PT15M...: a fixed length; P1M, P3M, P1Y...: calendar months; absent or zero
 * (P0D, PT0S): the whole time range. Months differ in length, so a period of months and days
 * together has no single meaning: refused.
 */
export function parsePeriod(duration: string | undefined): AggregationPeriod {
  if (duration === undefined) return { whole: true };
  const parts = DURATION.exec(duration);
  if (!parts) throw new BadRequestData(`aggrPeriodDuration must be an ISO 8601 duration like PT1H, P1D or P1M, not "${duration}"`);
  const [years, months, ...fixed] = parts.slice(1).map((part) => Number(part ?? 0));
  const calendarMonths = years * 12 + months;
  const seconds = fixed.reduce((sum, amount, i) => sum + amount * SECONDS_PER_UNIT[i], 0);
  if (calendarMonths === 0 && seconds === 0) return { whole: true };
  if (calendarMonths > 0 && seconds > 0) {
    throw new BadRequestData(`aggrPeriodDuration "${duration}" mixes months or years, whose length varies, with a fixed length: use one or the other`);
  }
  if (calendarMonths > MAX_PERIOD_YEARS * 12 || seconds > MAX_PERIOD_YEARS * 366 * 86_400) {
    throw new BadRequestData(`aggrPeriodDuration may be at most ${MAX_PERIOD_YEARS} years, not "${duration}"`);
  }
  if (calendarMonths > 0) return { months: calendarMonths };
  if (seconds < 0.001) throw new BadRequestData(`aggrPeriodDuration must be at least a millisecond, not "${duration}"`);
  return { fixed: duration };
}

/** timerel, timeAt, endTimeAt, timeproperty and lastN, checked together. */
export function parseTimeFilter(params: QueryParams): TemporalFilter {
  const timerel = singleOf(params.timerel, 'timerel');
  const timeAt = singleOf(params.timeAt, 'timeAt');
  const endTimeAt = singleOf(params.endTimeAt, 'endTimeAt');
  const timeproperty = singleOf(params.timeproperty, 'timeproperty') ?? 'observedAt';
  const lastN = singleOf(params.lastN, 'lastN');
  if (timerel !== undefined && timerel !== 'before' && timerel !== 'after' && timerel !== 'between') {
    throw new BadRequestData(`timerel must be before, after or between, not "${timerel}"`);
  }
  if (timeproperty !== 'observedAt' && timeproperty !== 'createdAt' && timeproperty !== 'modifiedAt') {
    throw new BadRequestData(`timeproperty must be observedAt, createdAt or modifiedAt, not "${timeproperty}"`);
  }
  if (timerel !== undefined && timeAt === undefined) throw new BadRequestData(`timerel=${timerel} needs timeAt`);
  if (timerel === undefined && timeAt !== undefined) throw new BadRequestData('timeAt needs timerel (before, after or between)');
  if (timerel === 'between' && endTimeAt === undefined) throw new BadRequestData('timerel=between needs endTimeAt');
  if (timerel !== 'between' && endTimeAt !== undefined) throw new BadRequestData('endTimeAt belongs with timerel=between');
  const [from, to] = [instantOf('timeAt', timeAt), instantOf('endTimeAt', endTimeAt)];
  if (timerel === 'between' && microsOf(to!) <= microsOf(from!)) throw new BadRequestData('endTimeAt must be later than timeAt');
  if (lastN !== undefined && !/^[1-9]\d{0,8}$/.test(lastN)) throw new BadRequestData(`lastN must be a whole number above 0, not "${lastN}"`);
  return {
    timerel,
    timeAt: from,
    endTimeAt: to,
    timeproperty,
    lastN: lastN === undefined ? undefined : Number(lastN),
  };
}

/**
 * A time parameter as a UTC instant, keeping microseconds: the next page of a history starts after
 * the last instant of the page before, which may have them (Date would drop them and repeat instances).
 */
function instantOf(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const instant = utcInstantOf(value);
  if (instant === undefined) throw new BadRequestData(`${name} must be an ISO 8601 date-time with a time zone, on a day that exists (RFC 3339), not "${value}"`);
  return instant;
}

function asParams(object: JsonObject): QueryParams {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, typeof value === 'number' ? String(value) : value]));
}

function singleOf(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestData(`${name} must be given once, as a string`);
  return value;
}

function listOf(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  const items = (Array.isArray(value) ? value.join(',') : singleOf(value, name)!).split(',').map((item) => item.trim());
  if (items.some((item) => item.length === 0)) throw new BadRequestData(`${name} must be a comma-separated list without empty items`);
  return items;
}
