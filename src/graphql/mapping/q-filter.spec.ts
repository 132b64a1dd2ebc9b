import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { parseQ } from 'src/ngsi-ld/query/q-parser';
import { ModelAttribute } from 'src/models/data-model';
import { qOfFilter } from 'src/graphql/mapping/q-filter';

const attribute = (name: string, valueType: ModelAttribute['valueType'], kind: ModelAttribute['kind'] = 'Property'): ModelAttribute => ({
  name,
  iri: `https://example.org/${name}`,
  kind,
  valueType,
  description: { en: name },
});
const fields = new Map<string, ModelAttribute>([
  ['temperature', attribute('temperature', 'number')],
  ['status', attribute('status', 'string')],
  ['dateObserved', attribute('dateObserved', 'dateTime')],
  ['refDevice', attribute('refDevice', 'uri', 'Relationship')],
  ['N_TOT', attribute('N-TOT', 'number')],
]);

describe('qOfFilter', () => {
  it.each([
    [{ temperature: { gt: 20 } }, 'temperature>20'],
    [{ temperature: { gte: 1.5, lt: 30 } }, 'temperature>=1.5;temperature<30'],
    [{ status: { in: ['ok', 'say "hi"'] } }, 'status=="ok","say \\"hi\\""'],
    [{ status: { exists: false } }, '!status'],
    [{ N_TOT: { eq: 6 } }, 'N-TOT==6'],
    [{ dateObserved: { gte: '2026-07-01T02:00:00+02:00' } }, 'dateObserved>=2026-07-01T00:00:00.000Z'],
    [{ refDevice: { eq: 'urn:ngsi-ld:Device:1' } }, 'refDevice==urn:ngsi-ld:Device:1'],
    [{ status: { pattern: '^o' } }, 'status~="^o"'],
    [{ or: [{ temperature: { gt: 20 } }, { status: { eq: 'ok' } }] }, '((temperature>20)|(status=="ok"))'],
    [{ temperature: { in: [] } }, '(temperature;!temperature)'],
  ])('%j becomes %s, which q parses', (filter, q) => {
    expect(qOfFilter(filter, fields)).toBe(q);
    expect(() => parseQ(q)).not.toThrow();
  });

  it('asks for nothing without conditions', () => {
    expect(qOfFilter(undefined, fields)).toBeUndefined();
    expect(qOfFilter({ temperature: {} }, fields)).toBeUndefined();
  });

  it('refuses a relationship target that is not a URI and a bad date-time', () => {
    expect(() => qOfFilter({ refDevice: { eq: 'not an id' } }, fields)).toThrow(BadRequestData);
    expect(() => qOfFilter({ dateObserved: { gt: 'yesterday' } }, fields)).toThrow(/ISO 8601/);
  });
});
