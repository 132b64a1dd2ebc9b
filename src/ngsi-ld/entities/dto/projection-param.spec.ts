import { BadRequestData, OperationNotSupported } from 'src/common/problem/ngsi-ld-errors';
import { parseProjection } from 'src/ngsi-ld/entities/dto/projection-param';

describe('parseProjection', () => {
  it('reads member names', () => {
    expect(parseProjection('name', 'pick')).toEqual(['name']);
    expect(parseProjection('id,type,sdm:temperature,https://example.org/level', 'omit')).toEqual(['id', 'type', 'sdm:temperature', 'https://example.org/level']);
  });

  it.each([
    ['id;name', /"id;name", which is not a member name/],
    ['id,locatedAt{name', /opens a "\{" it does not close/],
    ['id,locatedAt{{name}', /"\{" that does not follow a member name/],
    ['{}', /"\{" that does not follow a member name/],
    ['id,locatedAt{}', /empty "\{\}"/],
    ['id,locatedAt{,name}', /empty member/],
    ['id,,name', /empty member/],
    [',name', /empty member/],
    ['name,', /end with one/],
    ['', /at least one/],
    ['name}', /closes a "\}" it did not open/],
    ['locatedAt{name}x', /needs "," between members/],
    ['na me', /not a member name/],
  ])('refuses %p with BadRequestData', (text, message) => {
    expect(() => parseProjection(text, 'pick')).toThrow(BadRequestData);
    expect(() => parseProjection(text, 'pick')).toThrow(message);
  });

  it('refuses projections into linked entities as unsupported, since join is', () => {
    expect(() => parseProjection('id,locatedAt{name,address{city}}', 'pick')).toThrow(OperationNotSupported);
  });
});
