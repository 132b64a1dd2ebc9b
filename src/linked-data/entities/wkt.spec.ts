import { toWkt } from 'src/linked-data/entities/wkt';

describe('GeoJSON as WKT (CRS84: longitude first, as GeoJSON)', () => {
  it.each([
    [{ type: 'Point', coordinates: [11.9375, 57.7072] }, 'POINT(11.9375 57.7072)'],
    [{ type: 'Point', coordinates: [11.9, 57.7, 12.5] }, 'POINT Z(11.9 57.7 12.5)'],
    [{ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }, 'MULTIPOINT(1 2, 3 4)'],
    [{ type: 'LineString', coordinates: [[1, 2], [3, 4]] }, 'LINESTRING(1 2, 3 4)'],
    [{ type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }, 'MULTILINESTRING((1 2, 3 4), (5 6, 7 8))'],
    [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, 'POLYGON((0 0, 1 0, 1 1, 0 0))'],
    [
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
      'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))',
    ],
    [
      { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'LineString', coordinates: [[1, 2], [3, 4]] }] },
      'GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(1 2, 3 4))',
    ],
    [{ type: 'LineString', coordinates: [] }, 'LINESTRING EMPTY'],
  ])('%j is %s', (geometry, wkt) => {
    expect(toWkt(geometry)).toBe(wkt);
  });

  it('gives nothing for what is not a geometry', () => {
    expect(toWkt({ type: 'Feature', geometry: null })).toBeUndefined();
    expect(toWkt('POINT(1 2)')).toBeUndefined();
    expect(toWkt(undefined)).toBeUndefined();
  });
});
