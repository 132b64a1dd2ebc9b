import { toWkt } from 'src/catalog/downloads/geometry-wkt';

describe('toWkt', () => {
  it('writes every GeoJSON geometry type', () => {
    expect(toWkt({ type: 'Point', coordinates: [11.9, 57.7] })).toBe('POINT (11.9 57.7)');
    expect(toWkt({ type: 'LineString', coordinates: [[1, 2], [3, 4]] })).toBe('LINESTRING (1 2, 3 4)');
    expect(toWkt({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] })).toBe('MULTIPOINT (1 2, 3 4)');
    expect(toWkt({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] })).toBe('POLYGON ((0 0, 1 0, 1 1, 0 0))');
    expect(toWkt({ type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] })).toBe('MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))');
    expect(toWkt({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] })).toBe('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))');
    expect(toWkt({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] })).toBe('GEOMETRYCOLLECTION (POINT (1 2))');
    expect(toWkt({ type: 'Point', coordinates: [1, 2, 30] })).toBe('POINT (1 2 30)');
  });

  it('gives nothing for what is not a geometry', () => {
    expect(toWkt(undefined)).toBeUndefined();
    expect(toWkt('POINT (1 2)')).toBeUndefined();
    expect(toWkt({ type: 'Point', coordinates: ['a', 'b'] })).toBeUndefined();
    expect(toWkt({ type: 'Circle', coordinates: [1, 2] })).toBeUndefined();
    expect(toWkt({ type: 'GeometryCollection', geometries: [{ type: 'Nope' }] })).toBeUndefined();
  });
});
