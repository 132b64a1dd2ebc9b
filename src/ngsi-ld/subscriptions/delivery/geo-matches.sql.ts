import { SqlTransaction } from 'src/database/sql';
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
