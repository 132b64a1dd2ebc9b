import { SqlTransaction } from 'src/database/sql';
import { ChangeRecord } from 'src/changes/change-record';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { matchChange } from 'src/ngsi-ld/subscriptions/subscription-matcher';
import { ExpandedGeoQuery } from 'src/ngsi-ld/query/entity-filter';
import { AttributeMap } from 'src/ngsi-ld/representation/entity.model';
import { geometryProblem } from 'src/ngsi-ld/representation/geojson';

/** A change's entity and a subscription's geo-query, to be compared. */
export interface GeoPair {
  readonly attributes: AttributeMap;
  readonly geo: ExpandedGeoQuery;
}

/**
 * Which pairs satisfy their geo-query, answered by PostGIS in one statement for a whole batch of
 * changes, with the relations of the entity queries (`geoCondition` in entity-filter.sql.ts):
 * near by geography distance in metres, the others on geometries in EPSG:4326.
 */
export async function geoMatches(tx: SqlTransaction, pairs: readonly GeoPair[]): Promise<boolean[]> {
  const rows = pairs.flatMap((pair, i) => {
    const value = pair.attributes[pair.geo.geoproperty]?.[0]?.value;
    // An entity without that GeoProperty (or with something else in it) satisfies no geo-query.
    if (!value || geometryProblem(value) !== undefined) return [];
    const { relation } = pair.geo;
    return [{
      i,
      g: JSON.stringify(value),
      r: JSON.stringify(pair.geo.geometry),
      rel: relation.kind,
      maxd: relation.kind === 'near' ? (relation.maxDistance ?? null) : null,
      mind: relation.kind === 'near' ? (relation.minDistance ?? null) : null,
    }];
  });
  const verdicts = pairs.map(() => false);
  if (rows.length === 0) return verdicts;
  const { rows: matched } = await tx.query<{ i: number }>(
    `SELECT p.i FROM jsonb_to_recordset($1::jsonb) AS p(i int, g text, r text, rel text, maxd float8, mind float8),
       LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(p.g), 4326) AS g, ST_SetSRID(ST_GeomFromGeoJSON(p.r), 4326) AS r) x
     WHERE CASE p.rel
       WHEN 'near' THEN (p.maxd IS NULL OR ST_DWithin(x.g::geography, x.r::geography, p.maxd))
                    AND (p.mind IS NULL OR NOT ST_DWithin(x.g::geography, x.r::geography, p.mind))
       WHEN 'within' THEN ST_Within(x.g, x.r)
       WHEN 'contains' THEN ST_Contains(x.g, x.r)
       WHEN 'intersects' THEN ST_Intersects(x.g, x.r)
       WHEN 'overlaps' THEN ST_Overlaps(x.g, x.r)
       WHEN 'disjoint' THEN ST_Disjoint(x.g, x.r)
       WHEN 'equals' THEN ST_Equals(x.g, x.r)
     END`,
    [JSON.stringify(rows)],
  );
  for (const { i } of matched) verdicts[i] = true;
  return verdicts;
}

/** A change and a subscription to compare; `valuesLater`: see matchChange. */
export interface MatchCandidate {
  readonly subscription: CompiledSubscription;
  readonly change: ChangeRecord;
  readonly valuesLater?: boolean;
}

/**
 * Which candidates match, in the order given: matchChange for each, then one PostGIS statement for
 * all whose geo-query is still open. `sql` may be a transaction or the pool.
 */
export async function matchCandidates(sql: SqlTransaction, candidates: readonly MatchCandidate[], now: number): Promise<boolean[]> {
  const verdicts = candidates.map(({ subscription, change, valuesLater }) => matchChange(subscription, change, now, { valuesLater }));
  const open = verdicts.flatMap((verdict, i) => (verdict === 'geo' ? [i] : []));
  if (open.length > 0) {
    const matched = await geoMatches(sql, open.map((i) => ({ attributes: candidates[i].change.entity.attributes, geo: candidates[i].subscription.geo! })));
    open.forEach((i, j) => (verdicts[i] = matched[j] ? 'match' : 'no'));
  }
  return verdicts.map((verdict) => verdict === 'match');
}
