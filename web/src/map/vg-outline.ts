/**
 * Västra Götaland county's border, simplified by hand to 24 points from approximate coordinates
 * (accurate to a few kilometres): enough to place the data when no tile server is reachable.
 */
export const VG_OUTLINE = {
  type: 'Feature',
  properties: { name: 'Västra Götaland' },
  geometry: {
    type: 'Polygon',
    coordinates: [[
      [11.2, 59.09], [11.75, 59.1], [12.05, 59.35], [12.45, 59.2], [12.95, 59.08], [13.25, 58.75],
      [14.05, 58.95], [14.55, 58.7], [14.8, 58.4], [14.45, 58.1], [14.05, 57.85], [13.7, 57.75],
      [13.55, 57.5], [13.1, 57.45], [12.55, 57.4], [12.15, 57.35], [11.9, 57.45], [11.75, 57.6],
      [11.65, 57.85], [11.45, 58.05], [11.2, 58.35], [11.15, 58.7], [10.95, 58.95], [11.2, 59.09],
    ]],
  },
} as const;
