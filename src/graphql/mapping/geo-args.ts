import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

export interface NearArgs {
  readonly longitude: number;
  readonly latitude: number;
  readonly maxDistance?: number | null;
  readonly minDistance?: number | null;
}

export interface WithinArgs {
  readonly bbox?: { readonly west: number; readonly south: number; readonly east: number; readonly north: number } | null;
  readonly polygon?: unknown;
}

/** NGSI-LD geo-query parameters (georel, geometry, coordinates) for `near` or `within`; the same parser then checks them. */
export function geoParamsOf(near: NearArgs | null | undefined, within: WithinArgs | null | undefined): Record<string, string> {
  if (near && within) throw new BadRequestData('Give near or within, not both');
  if (near) {
    const distances = [
      near.maxDistance !== undefined && near.maxDistance !== null ? `maxDistance==${near.maxDistance}` : undefined,
      near.minDistance !== undefined && near.minDistance !== null ? `minDistance==${near.minDistance}` : undefined,
    ].filter((part) => part !== undefined);
    if (distances.length === 0) throw new BadRequestData('near needs maxDistance or minDistance (metres)');
    return { georel: ['near', ...distances].join(';'), geometry: 'Point', coordinates: JSON.stringify([near.longitude, near.latitude]) };
  }
  if (within) {
    if (Boolean(within.bbox) === (within.polygon !== undefined && within.polygon !== null)) throw new BadRequestData('within needs either bbox or polygon');
    if (within.bbox) {
      const { west, south, east, north } = within.bbox;
      if (west >= east || south >= north) throw new BadRequestData('bbox needs west < east and south < north');
      const ring = [[west, south], [east, south], [east, north], [west, north], [west, south]];
      return { georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify([ring]) };
    }
    return { georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify(within.polygon) };
  }
  return {};
}
