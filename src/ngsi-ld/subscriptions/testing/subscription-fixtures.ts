import { ChangeOperation, ChangeRecord } from 'src/changes/change-record';
import { RequestContext } from 'src/jsonld/context-compiler';
import { fixtureCompiler } from 'src/jsonld/testing/context-fixtures';
import { AttributeInstance, AttributeMap } from 'src/ngsi-ld/representation/entity.model';
import { CompiledSubscription, compileSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { parseSubscription } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';
import { LIMITS } from 'src/ngsi-ld/subscriptions/testing/payload-fixtures';
import { matchChange } from 'src/ngsi-ld/subscriptions/subscription-matcher';

/*
 * Subscriptions and changes for the matcher's unit tests. Entities are in stored (expanded) form:
 * names of the core context's default vocabulary, and the Smart Data Models terms of the weather
 * fixture context. Call `loadContexts` in a beforeAll first.
 */

export const NOW = new Date('2026-11-20T10:00:00Z');
export const DEFAULT = 'https://uri.etsi.org/ngsi-ld/default-context/';
export const WEATHER = 'https://contexts.test/weather.jsonld';
export const SDM_TEMPERATURE = 'https://smartdatamodels.org/dataModel.Weather/temperature';
export const SDM_WEATHER_OBSERVED = 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved';
const OWNER = { kind: 'user' as const, subject: 'owner', organisation: 'goteborg', roles: [] };

const compiler = fixtureCompiler();
/** The core context alone, and the weather fixture context: set by {@link loadContexts}. */
export const contexts = {} as { core: RequestContext; weather: RequestContext };

export async function loadContexts(): Promise<void> {
  contexts.core = await compiler.compile(undefined);
  contexts.weather = await compiler.compile(WEATHER);
}

let keys = 0;
export function subscription(members: Record<string, unknown>, options: { tenant?: string; context?: RequestContext } = {}): CompiledSubscription {
  const definition = parseSubscription({ type: 'Subscription', notification: { endpoint: { uri: 'https://receiver.test/n' } }, ...members }, NOW, LIMITS);
  const context = options.context ?? contexts.core;
  const link = typeof context.userContext === 'string' ? context.userContext : context.coreContextUrl;
  return compileSubscription({ key: String(++keys), tenant: options.tenant ?? '', owner: OWNER }, definition, context, { context, link });
}

/** A name of the default vocabulary, or an IRI as it is. */
export const iri = (name: string) => (name.includes(':') ? name : `${DEFAULT}${name}`);
export const property = (value: unknown, extra: Partial<AttributeInstance> = {}): AttributeInstance[] => [{ type: 'Property', value: value as never, ...extra }];

interface EntityShape {
  readonly id?: string;
  readonly types?: string[];
  readonly scopes?: string[] | null;
  readonly attrs?: Record<string, AttributeInstance[]>;
}

interface ChangeShape extends EntityShape {
  readonly tenant?: string;
  /** Attribute names an update created, updated and deleted (deleted ones are gone from `attrs`). */
  readonly created?: string[];
  readonly updated?: string[];
  readonly deleted?: string[];
}

let positions = 0;
/** A change of an entity, by default a Beach with a temperature; a create creates all its attributes. */
export function change(operation: ChangeOperation, shape: ChangeShape = {}): ChangeRecord {
  const attributes: AttributeMap = {};
  for (const [name, instances] of Object.entries(shape.attrs ?? { temperature: property(21) })) attributes[iri(name)] = instances;
  const previous: Record<string, AttributeInstance[]> = {};
  for (const name of [...(shape.updated ?? []), ...(shape.deleted ?? [])]) previous[iri(name)] = property('before');
  for (const name of shape.deleted ?? []) delete attributes[iri(name)];
  return {
    position: ++positions,
    tenant: shape.tenant ?? '',
    operation,
    datasetId: '00000000-0000-4000-8000-000000000001',
    entity: {
      id: shape.id ?? 'urn:ngsi-ld:Beach:askim',
      types: (shape.types ?? ['Beach']).map(iri),
      scopes: shape.scopes === undefined ? null : shape.scopes,
      attributes,
    },
    previous,
    createdAttributes: operation === 'create' ? Object.keys(attributes) : (shape.created ?? []).map(iri),
    changedAt: NOW.toISOString(),
  };
}

export const at = NOW.getTime();
export const verdict = (s: CompiledSubscription, c: ChangeRecord, now = at) => matchChange(s, c, now);
