import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { parseGeoQuery } from 'src/ngsi-ld/query/geo-query';
import { geoParamsOf } from 'src/graphql/mapping/geo-args';

describe('geoParamsOf', () => {
  it('makes near a Point with its distances, and within a Polygon from a bounding box, that the geo-query parser takes', () => {
    const near = geoParamsOf({ longitude: 11.9, latitude: 57.7, maxDistance: 500 }, undefined);
    expect(near).toEqual({ georel: 'near;maxDistance==500', geometry: 'Point', coordinates: '[11.9,57.7]' });
    const box = geoParamsOf(undefined, { bbox: { west: 11, south: 57, east: 12, north: 58 } });
    expect(JSON.parse(box.coordinates)).toEqual([[[11, 57], [12, 57], [12, 58], [11, 58], [11, 57]]]);
    for (const params of [near, box]) expect(() => parseGeoQuery(params)).not.toThrow();
    expect(geoParamsOf(undefined, undefined)).toEqual({});
  });

  it.each([
    [{ longitude: 1, latitude: 2 }, undefined, /maxDistance or minDistance/],
    [{ longitude: 1, latitude: 2, maxDistance: 5 }, { bbox: { west: 0, south: 0, east: 1, north: 1 } }, /not both/],
    [undefined, { bbox: { west: 2, south: 0, east: 1, north: 1 } }, /west < east/],
    [undefined, {}, /either bbox or polygon/],
  ])('refuses %j %j', (near, within, message) => {
    expect(() => geoParamsOf(near, within)).toThrow(BadRequestData);
    expect(() => geoParamsOf(near, within)).toThrow(message);
  });
});
