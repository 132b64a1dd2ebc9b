import { advanceCurrentState } from 'src/ngsi-ld/temporal/current-state';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';

const T = 'https://example.org/temperature';
const entity = (value: number, observedAt: string): EntityData => ({
  id: 'urn:ngsi-ld:X:1',
  types: ['https://example.org/X'],
  scopes: null,
  attributes: { [T]: [{ type: 'Property', value, observedAt, createdAt: '2026-01-01T00:00:00.000Z', modifiedAt: '2026-01-01T00:00:00.000Z' }] },
});
const arriving = (value: number, observedAt: string, datasetId?: string) => ({ attribute: T, instance: { type: 'Property' as const, value, observedAt, ...(datasetId ? { datasetId } : {}) } });
const NOW = '2026-11-24T00:00:00.000Z';

describe('advanceCurrentState', () => {
  it('takes the newest of the arriving values, keeping createdAt', () => {
    const next = advanceCurrentState(entity(1, '2026-07-01T00:00:00Z'), [arriving(3, '2026-07-01T00:02:00Z'), arriving(2, '2026-07-01T00:01:00Z')], NOW);
    expect(next?.attributes[T]).toEqual([{ type: 'Property', value: 3, observedAt: '2026-07-01T00:02:00Z', createdAt: '2026-01-01T00:00:00.000Z', modifiedAt: NOW }]);
  });

  it('does not turn the clock back for a late value', () => {
    expect(advanceCurrentState(entity(5, '2026-07-02T00:00:00Z'), [arriving(3, '2026-07-01T00:00:00Z')], NOW)).toBeUndefined();
  });

  it('leaves the current value alone, modifiedAt and all, when the same instance arrives again', () => {
    expect(advanceCurrentState(entity(5, '2026-07-02T00:00:00Z'), [arriving(5, '2026-07-02T00:00:00Z')], NOW)).toBeUndefined();
    const again = { attribute: T, instance: { ...arriving(5, '2026-07-02T00:00:00Z').instance, instanceId: 'urn:ngsi-ld:x', createdAt: NOW, modifiedAt: NOW } };
    expect(advanceCurrentState(entity(5, '2026-07-02T00:00:00Z'), [again], NOW)).toBeUndefined();
  });

  it('takes another value observed at the same instant', () => {
    expect(advanceCurrentState(entity(5, '2026-07-02T00:00:00Z'), [arriving(6, '2026-07-02T00:00:00Z')], NOW)?.attributes[T][0].value).toBe(6);
  });

  it('keeps instances of other NGSI-LD datasetIds apart', () => {
    const next = advanceCurrentState(entity(1, '2026-07-01T00:00:00Z'), [arriving(9, '2026-06-01T00:00:00Z', 'urn:ngsi-ld:Dataset:b')], NOW);
    expect(next?.attributes[T].map((i) => i.value)).toEqual([1, 9]);
  });
});
