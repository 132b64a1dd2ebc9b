import { attributeChanges, ChangeRecord, changeVisibleTo } from 'src/changes/change-record';

/* What of a change's past a reader sees (changeVisibleTo): the previous state only where history would show it. */

const K2 = '00000000-0000-4000-8000-000000000002';
const OPEN = '00000000-0000-4000-8000-000000000000';
const LEVEL = 'https://uri.etsi.org/ngsi-ld/default-context/level';
const OWNER = 'https://uri.etsi.org/ngsi-ld/default-context/owner';
const NAME = 'https://uri.etsi.org/ngsi-ld/default-context/name';

/** An entity moved from K2 into the open dataset: its level updated, its owner gone, a name new. */
function moved(previousDatasetId: string | undefined): ChangeRecord {
  return {
    position: 7,
    tenant: '',
    operation: 'update',
    datasetId: OPEN,
    previousDatasetId,
    entity: { id: 'urn:ngsi-ld:Meter:1', types: ['Meter'], scopes: null, attributes: { [LEVEL]: [{ type: 'Property', value: 2 }], [NAME]: [{ type: 'Property', value: 'x' }] } },
    previous: { [LEVEL]: [{ type: 'Property', value: 1 }], [OWNER]: [{ type: 'Property', value: 'Andersson' }] },
    createdAttributes: [NAME],
    changedAt: '2026-11-20T10:00:00.000Z',
  };
}

describe('changeVisibleTo', () => {
  it('keeps the previous state for a reader of the dataset it was written under', () => {
    const change = moved(K2);
    expect(changeVisibleTo(change, new Set([K2, OPEN]))).toBe(change);
  });

  it('shows the entity without a past to a reader who may not read that dataset', () => {
    const seen = changeVisibleTo(moved(K2), new Set([OPEN]));
    expect(seen.previous).toEqual({});
    expect(attributeChanges(seen)).toEqual({ created: [LEVEL, NAME], updated: [], deleted: [] });
    expect(seen.entity).toEqual(moved(K2).entity);
  });

  it('shows no past when the dataset it was written under is not recorded (changes from before it was)', () => {
    expect(changeVisibleTo(moved(undefined), new Set([K2, OPEN])).previous).toEqual({});
  });

  it('leaves creations and deletions as they are', () => {
    for (const operation of ['create', 'delete'] as const) {
      const change = { ...moved(undefined), operation, previous: {} };
      expect(changeVisibleTo(change, new Set())).toBe(change);
    }
  });
});
