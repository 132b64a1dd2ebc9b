import fc from 'fast-check';
import { Principal, Role } from 'src/auth/principal';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { viewFor } from 'src/governance/policy';
import { areaOf, cellCentre, coarsenGeometry, minimiseAttributes, minimiseEntity, roundNumbers, truncate } from 'src/governance/privacy/views/minimise';
import { minimisedViewOf } from 'src/governance/privacy/views/minimised-view';
import { AttributeInstance, EntityData } from 'src/ngsi-ld/representation/entity.model';

const V = 'https://example.org/vocab/';
const NAMES = ['refPerson', 'count', 'temperature', 'serial', 'location', 'comment'].map((name) => V + name);
const STEPS = { PT1M: 60_000, PT5M: 300_000, PT15M: 900_000, PT1H: 3_600_000, P1D: 86_400_000 } as const;

describe('minimise', () => {
  it('truncates instants to the resolution, in UTC', () => {
    expect(truncate('2026-11-30T10:17:23.456Z', { timeStepMs: STEPS.PT1H })).toBe('2026-11-30T10:00:00.000Z');
    expect(truncate('2026-11-30T23:59:59Z', { timeStepMs: STEPS.P1D })).toBe('2026-11-30T00:00:00.000Z');
    expect(truncate('not a date', { timeStepMs: STEPS.PT1H })).toBe('not a date');
  });

  it('rounds half away from zero, as PostgreSQL does, element by element', () => {
    expect(roundNumbers([2.25, -2.25, 7], 1)).toEqual([2.3, -2.3, 7]);
    expect(roundNumbers(1234, -2)).toBe(1200);
    expect(roundNumbers({ '@value': 0.4372 }, 2)).toEqual({ '@value': 0.44 });
    expect(roundNumbers('text', 0)).toBe('text');
  });

  it('moves a geometry to the centre of its cell, which is its own centre', () => {
    const centre = coarsenGeometry({ type: 'Point', coordinates: [11.97461, 57.70887] }, 500) as { coordinates: [number, number] };
    expect(centre.coordinates).toEqual(cellCentre(11.97461, 57.70887, 500));
    expect(coarsenGeometry(centre, 500)).toEqual(centre);
    const area = { type: 'Polygon', coordinates: [[[12, 57], [12.001, 57], [12.001, 57.001], [12, 57]]] };
    expect((coarsenGeometry(area, 1000) as { type: string }).type).toBe('Point');
  });

  it('moves a location to the named area it lies in, or leaves it out outside every area', () => {
    const square = (x: number, y: number) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] });
    const withHole = { type: 'Polygon' as const, coordinates: [...square(20, 50).coordinates, [[20.4, 50.4], [20.6, 50.4], [20.6, 50.6], [20.4, 50.6], [20.4, 50.4]]] };
    const areas = [
      { name: 'Majorna', geometry: square(11, 57) },
      { name: 'Holed', geometry: withHole },
      { name: 'Islands', geometry: { type: 'MultiPolygon' as const, coordinates: [square(30, 60).coordinates, square(32, 60).coordinates] } },
    ];
    const view = minimisedViewOf([], { removeAttributes: [], locationAreas: areas });
    const at = (x: number, y: number) => minimiseAttributes({ loc: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [x, y] } }] }, view).loc;
    expect(at(11.5, 57.5)).toEqual([{ type: 'GeoProperty', value: square(11, 57) }]);
    expect(at(32.5, 60.5)?.[0].value).toEqual(areas[2].geometry);
    expect(at(20.5, 50.5)).toBeUndefined(); // in the hole
    expect(at(20.1, 50.1)?.[0].value).toEqual(withHole);
    expect(at(0, 0)).toBeUndefined();
    expect(areaOf({ type: 'LineString', coordinates: [[11.1, 57.1], [11.3, 57.3]] }, areas)?.name).toBe('Majorna');
  });
});

/** Random positions in and around Västra Götaland, and anywhere on Earth. */
const position = fc.oneof(
  fc.tuple(fc.double({ min: 10.5, max: 15, noNaN: true }), fc.double({ min: 57, max: 59.5, noNaN: true })),
  fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -85, max: 85, noNaN: true })),
);
const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
const instance: fc.Arbitrary<AttributeInstance> = fc.oneof(
  fc.record({ type: fc.constant('Property' as const), value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 40 }), fc.string()), observedAt: instant }),
  fc.record({ type: fc.constant('Relationship' as const), object: fc.constant('urn:ngsi-ld:Person:1') }),
  position.map((coordinates) => ({ type: 'GeoProperty' as const, value: { type: 'Point', coordinates } })),
);
const withSubAttributes = fc.tuple(instance, fc.dictionary(fc.constantFrom(...NAMES), fc.array(instance, { minLength: 1, maxLength: 2 }), { maxKeys: 2 })).map(
  ([main, subs]) => ({ ...main, ...subs }) as AttributeInstance,
);
const entity: fc.Arbitrary<EntityData> = fc.dictionary(fc.constantFrom(...NAMES), fc.array(withSubAttributes, { minLength: 1, maxLength: 3 })).map((attributes) => ({
  id: 'urn:ngsi-ld:Counter:1',
  types: [`${V}Counter`],
  scopes: null,
  attributes,
  createdAt: '2026-11-30T10:17:23.000Z',
  modifiedAt: '2026-11-30T10:17:23.000Z',
  datasetId: 'counters',
}));
const minimisation = fc.record(
  {
    removeAttributes: fc.subarray(NAMES),
    locationGrid: fc.integer({ min: 10, max: 100_000 }),
    timeResolution: fc.constantFrom(...(Object.keys(STEPS) as (keyof typeof STEPS)[])),
    numberPrecision: fc.integer({ min: -3, max: 4 }),
    smallCounts: fc.record({ attributes: fc.subarray(NAMES, { minLength: 1 }), k: fc.integer({ min: 2, max: 20 }) }),
  },
  { requiredKeys: ['removeAttributes'] },
);
const caller = fc.record({
  organisation: fc.constantFrom('goteborg', 'boras', undefined),
  subject: fc.constantFrom('member', 'analyst'),
  kind: fc.constantFrom('user' as const, 'api-key' as const),
});

/** Every instance in an attribute map, sub-attributes included, with the attribute it belongs to. */
function* walk(attributes: Record<string, unknown>): Generator<[string, AttributeInstance]> {
  for (const [name, instances] of Object.entries(attributes)) {
    if (!name.includes(':') || !Array.isArray(instances)) continue;
    for (const item of instances as AttributeInstance[]) {
      yield [name, item];
      yield* walk(item as Record<string, unknown>);
    }
  }
}

describe('minimised answers, over random profiles and callers (property)', () => {
  it('never hold a removed attribute, a small count, a finer location, instant or number than the view allows', () => {
    fc.assert(
      fc.property(entity, minimisation, fc.subarray(NAMES), caller, fc.constantFrom('full', 'minimised', null, undefined), (data, rules, identifying, who, grant) => {
        const view = minimisedViewOf(identifying, rules);
        const snapshot = new GovernanceSnapshot(
          '1',
          [{ id: 'counters', organisation: 'goteborg', confidentiality: 1, open: false, retired: false, personalData: { category: 'personal', purposes: [] }, minimisedView: view }],
          grant === undefined ? [] : [{ datasetId: 'counters', granteeKind: 'principal', grantee: 'analyst', view: grant }],
          [],
        );
        const principal: Principal = { kind: who.kind, subject: who.subject, organisation: who.organisation, roles: new Set<Role>(), mfa: false };
        const decided = viewFor(principal, snapshot.datasets.get('counters')!, snapshot);
        // Only the owning organisation and an explicit full grant see everything.
        const mayBeFull = who.organisation === 'goteborg' || (who.subject === 'analyst' && grant === 'full');
        expect(decided === 'full').toBe(mayBeFull);
        if (decided === 'full') return;
        const shown = minimiseEntity(data, view);
        expect(shown.createdAt).toBe(truncate(data.createdAt!, view));
        for (const [name, item] of walk(shown.attributes)) {
          expect(view.removed.has(name)).toBe(false);
          if (view.smallCounts?.attributes.has(name) && typeof item.value === 'number') expect(item.value).toBeGreaterThanOrEqual(view.smallCounts.k);
          if (item.observedAt && view.timeStepMs) expect(Date.parse(item.observedAt) % view.timeStepMs).toBe(0);
          if (item.type === 'GeoProperty' && view.locationGrid) expect(coarsenGeometry(item.value, view.locationGrid)).toEqual(item.value);
          if (item.type === 'Property' && typeof item.value === 'number' && view.numberPrecision !== undefined) {
            expect(roundNumbers(item.value, view.numberPrecision)).toBe(item.value);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
