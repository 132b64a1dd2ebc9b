import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { parseGeoQuery } from 'src/ngsi-ld/query/geo-query';
import { parseScopeQuery, scopeMatches } from 'src/ngsi-ld/query/scope-query';
import { parseTypeExpression } from 'src/ngsi-ld/query/type-expression';

const leaf = <T>(value: T) => ({ kind: 'leaf' as const, leaf: value });

describe('parseTypeExpression', () => {
  it('reads lists, conjunctions and groups', () => {
    expect(parseTypeExpression('Building')).toEqual(leaf('Building'));
    expect(parseTypeExpression('A,B|C')).toEqual({ kind: 'or', terms: [leaf('A'), leaf('B'), leaf('C')] });
    expect(parseTypeExpression('(A;B)|C')).toEqual({ kind: 'or', terms: [{ kind: 'and', terms: [leaf('A'), leaf('B')] }, leaf('C')] });
    expect(parseTypeExpression('A;B|C')).toEqual({ kind: 'or', terms: [{ kind: 'and', terms: [leaf('A'), leaf('B')] }, leaf('C')] });
    expect(parseTypeExpression('https://smartdatamodels.org/dataModel.Weather/WeatherObserved')).toEqual(
      leaf('https://smartdatamodels.org/dataModel.Weather/WeatherObserved'),
    );
  });

  it.each(['', '(A;B', 'A;;B', 'A)', '()'])('refuses %p', (text) => {
    expect(() => parseTypeExpression(text)).toThrow(BadRequestData);
  });
});

describe('parseScopeQuery', () => {
  const scope = (levels: string[], descendants = false) => leaf({ levels, descendants });

  it('reads scopes and wildcards', () => {
    expect(parseScopeQuery('/Gothenburg/Parks')).toEqual(scope(['Gothenburg', 'Parks']));
    expect(parseScopeQuery('/Gothenburg/#')).toEqual(scope(['Gothenburg'], true));
    expect(parseScopeQuery('/#')).toEqual(scope([], true));
    expect(parseScopeQuery('/Madrid/+/ParqueNorte')).toEqual(scope(['Madrid', '+', 'ParqueNorte']));
    expect(parseScopeQuery('/+/Centrum/#')).toEqual(scope(['+', 'Centrum'], true));
    expect(parseScopeQuery('/A/+;/B,/C')).toEqual({
      kind: 'or',
      terms: [{ kind: 'and', terms: [scope(['A', '+']), scope(['B'])] }, scope(['C'])],
    });
  });

  it.each(['A', '/A/#/B', '/A//B', '', '/A;', '/A+/B', '/A/#+'])('refuses %p', (text) => {
    expect(() => parseScopeQuery(text)).toThrow(BadRequestData);
  });
});

describe('scopeMatches', () => {
  const matches = (pattern: string, scope: string) => {
    const parsed = parseScopeQuery(pattern);
    return parsed.kind === 'leaf' && scopeMatches(parsed.leaf, scope);
  };

  it.each([
    ['/Madrid/+/ParqueNorte', '/Madrid/Norte/ParqueNorte', true],
    ['/Madrid/+/ParqueNorte', '/Madrid/ParqueNorte', false],
    ['/Madrid/+/ParqueNorte', '/Madrid/Norte/ParqueNorte/Lago', false],
    ['/Madrid/+/#', '/Madrid/Norte', true],
    ['/Madrid/+/#', '/Madrid/Norte/ParqueNorte/Lago', true],
    ['/Madrid/+/#', '/Madrid', false],
    ['/Madrid/#', '/Madrid', true],
    ['/Madrid/#', '/Madridista', false],
    ['/#', '/Anything/At/All', true],
    ['/+', '/Madrid', true],
    ['/+', '/Madrid/Norte', false],
    ['/Madrid', '/Madrid/Norte', false],
  ])('%s on %s: %s', (pattern, scope, expected) => {
    expect(matches(pattern, scope)).toBe(expected);
  });
});

describe('parseGeoQuery', () => {
  it('reads every relation', () => {
    expect(parseGeoQuery({ georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[11.97,57.71]' })).toEqual({
      relation: { kind: 'near', maxDistance: 2000 },
      geometry: { type: 'Point', coordinates: [11.97, 57.71] },
      geoproperty: 'location',
    });
    expect(parseGeoQuery({ georel: 'near;minDistance==10;maxDistance==50.5', geometry: 'Point', coordinates: [1, 2] })?.relation).toEqual({
      kind: 'near',
      minDistance: 10,
      maxDistance: 50.5,
    });
    for (const georel of ['within', 'contains', 'intersects', 'overlaps', 'disjoint', 'equals']) {
      const polygon = '[[[11,57],[12,57],[12,58],[11,57]]]';
      expect(parseGeoQuery({ georel, geometry: 'Polygon', coordinates: polygon, geoproperty: 'observationSpace' })).toMatchObject({
        relation: { kind: georel },
        geoproperty: 'observationSpace',
      });
    }
    expect(parseGeoQuery({})).toBeUndefined();
  });

  it.each([
    [{ georel: 'near;maxDistance==10' }, /all three/],
    [{ georel: 'near', geometry: 'Point', coordinates: '[1,2]' }, /georel must be/],
    [{ georel: 'near;maxDistance==x', geometry: 'Point', coordinates: '[1,2]' }, /maxDistance==<metres>/],
    [{ georel: 'around', geometry: 'Point', coordinates: '[1,2]' }, /georel must be/],
    [{ georel: 'within', geometry: 'Circle', coordinates: '[1,2]' }, /geometry must be/],
    [{ georel: 'within', geometry: 'Point', coordinates: '[1,' }, /JSON array/],
    [{ georel: 'within', geometry: 'Polygon', coordinates: '[[[1,1],[2,2],[3,1]]]' }, /valid Polygon/],
    [{ georel: 'within', geometry: 'Point', coordinates: '[500,1]' }, /longitude/],
    [{ geoproperty: 'location' }, /needs georel/],
  ])('refuses %p', (input, message) => {
    expect(() => parseGeoQuery(input)).toThrow(message);
  });
});
