import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { RequestContext } from 'src/jsonld/context-compiler';
import { StandingPrincipal } from 'src/governance/standing-principal';
import { BooleanExpression } from 'src/ngsi-ld/query/boolean-expression';
import { EntityFilter, EntitySelector, expandGeoQuery, expandName, expandQ, expandTypes, ExpandedGeoQuery, ExpandedQ } from 'src/ngsi-ld/query/entity-filter';
import { qRegexes } from 'src/ngsi-ld/query/entity-filter-evaluator';
import { parseGeoQuery } from 'src/ngsi-ld/query/geo-query';
import { parseQ } from 'src/ngsi-ld/query/q-parser';
import { parseScopeQuery, ScopePattern } from 'src/ngsi-ld/query/scope-query';
import { parseTypeExpression } from 'src/ngsi-ld/query/type-expression';
import { CompactOptions } from 'src/ngsi-ld/representation/entity-compactor';
import { compactOptionsOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { compilePattern, DEFAULT_TRIGGERS, NotificationTrigger, SubscriptionDefinition } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';

/** A subscription ready to match changes and render notifications: every name expanded, every pattern compiled. */
export interface CompiledSubscription {
  /** The row's numeric key (what pending notifications refer to). */
  readonly key: string;
  readonly tenant: string;
  readonly definition: SubscriptionDefinition;
  readonly owner: StandingPrincipal;
  /** The @context notifications are compacted with. */
  readonly notifyContext: RequestContext;
  /** The URL of that @context, for the Link header of JSON notifications. */
  readonly notifyLink: string;
  readonly selectors?: readonly { readonly selector: EntitySelector; readonly idPattern?: RegExp }[];
  readonly watched?: ReadonlySet<string>;
  readonly triggers: ReadonlySet<NotificationTrigger>;
  readonly q?: ExpandedQ;
  readonly regexes: ReadonlyMap<string, RegExp>;
  readonly scopes?: BooleanExpression<ScopePattern>;
  readonly geo?: ExpandedGeoQuery;
  readonly compact: CompactOptions;
  /** Epoch milliseconds after which it notifies no more. */
  readonly expiresAt?: number;
  /** The filter as the entity queries take it (periodic notifications query the current state with it). */
  readonly filter: EntityFilter;
}

/** The @context notifications are compacted with, and the URL a Link header names it by. */
export interface NotificationContext {
  readonly context: RequestContext;
  readonly link: string;
}

/**
 * Expands a subscription's names with the @context it was made with (`context`) and prepares how
 * its notifications are compacted (`notifyWith`: its jsonldContext, else the same). Throws the
 * caller's error (BadRequestData) for names or patterns that do not compile.
 */
export function compileSubscription(
  row: { key: string; tenant: string; owner: StandingPrincipal },
  definition: SubscriptionDefinition,
  context: RequestContext,
  notifyWith: NotificationContext,
): CompiledSubscription {
  const notifyContext = notifyWith.context;
  const ctx = context.compiled;
  const selectors = definition.entities?.map((given) => {
    const selector: EntitySelector = {
      ids: given.id === undefined ? undefined : [given.id],
      idPattern: given.idPattern,
      types: given.type === undefined ? undefined : expandTypes(ctx, parseTypeExpression(given.type)),
    };
    return { selector, idPattern: given.idPattern === undefined ? undefined : compilePattern(given.idPattern, 'idPattern') };
  });
  const q = definition.q === undefined ? undefined : expandQ(ctx, parseQ(definition.q));
  const scopes = definition.scopeQ === undefined ? undefined : parseScopeQuery(definition.scopeQ);
  const geo = definition.geoQ === undefined ? undefined : expandGeoQuery(ctx, parseGeoQuery(definition.geoQ)!);
  const { notification } = definition;
  // Notification attributes are named in the subscription's terms, then shown in the notification's.
  const attributes = notification.attributes?.map((name) => expandName(ctx, name, 'notification attribute'));
  const compact = compactOptionsOf(notifyContext, { format: notification.format ?? 'normalized', sysAttrs: notification.sysAttrs ?? false, lang: definition.lang });
  return {
    key: row.key,
    tenant: row.tenant,
    owner: row.owner,
    definition,
    notifyContext,
    notifyLink: notifyWith.link,
    selectors,
    watched: definition.watchedAttributes && new Set(definition.watchedAttributes.map((name) => expandName(ctx, name, 'watched attribute'))),
    triggers: new Set(definition.notificationTrigger ?? DEFAULT_TRIGGERS),
    q,
    regexes: compileQRegexes(q),
    scopes,
    geo,
    compact: attributes ? { ...compact, projection: { attributes: new Set(attributes) } } : compact,
    expiresAt: definition.expiresAt === undefined ? undefined : Date.parse(definition.expiresAt),
    filter: { entities: selectors?.map((s) => s.selector), q, scopes, geo },
  };
}

function compileQRegexes(q: ExpandedQ | undefined): Map<string, RegExp> {
  try {
    return qRegexes(q);
  } catch (error) {
    throw new BadRequestData(`A q pattern (~=) is not a valid regular expression: ${(error as Error).message}`);
  }
}
