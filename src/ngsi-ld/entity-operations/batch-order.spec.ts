import { collapseInOrder, firstOccurrences, groupInOrder } from 'src/ngsi-ld/entity-operations/batch-order';

const items = [
  { id: 'a', value: 1 },
  { id: 'b', value: 2 },
  { id: 'a', value: 3 },
  { id: 'a', value: 4 },
];

describe('batch order', () => {
  it('keeps the first occurrence of each id and names the repeats', () => {
    expect(firstOccurrences(items)).toEqual({ first: [items[0], items[1]], repeated: ['a', 'a'] });
  });

  it('groups values by id in the order given', () => {
    expect([...groupInOrder(items)]).toEqual([
      ['a', [1, 3, 4]],
      ['b', [2]],
    ]);
  });

  it('combines the later values into the earlier one, in turn', () => {
    expect(collapseInOrder(items, (earlier, later) => earlier * 10 + later)).toEqual([
      { id: 'a', value: 134 },
      { id: 'b', value: 2 },
    ]);
  });
});
