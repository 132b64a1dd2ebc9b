import { InvalidJsonBody, parseJsonBody } from 'src/common/http/json-body';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const parse = (text: string) => parseJsonBody(bytes(text));

describe('parseJsonBody', () => {
  it('reads JSON in UTF-8, whatever its strings hold', () => {
    expect(parse('{"namn":"Åsa strand 🏖","a":[1,{"b":null}],"q":"x\\":y","\\\\":"\\\\"}')).toEqual({
      namn: 'Åsa strand 🏖',
      a: [1, { b: null }],
      q: 'x":y',
      '\\': '\\',
    });
    // The same name in different objects is no repetition; nor is a string that ends in a colon.
    expect(parse('[{"id":1},{"id":2,"c":{"id":3}},":",{"x":":"}]')).toHaveLength(4);
    expect(parse(' {\n "a" \t: 1 } ')).toEqual({ a: 1 });
    expect(parse('1e308')).toBe(1e308);
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /not valid UTF-8/],
    ['a truncated UTF-8 sequence', Buffer.from([0x22, 0xc3, 0x22]), /not valid UTF-8/],
    ['an overlong encoding', Buffer.from([0x22, 0xc0, 0xaf, 0x22]), /not valid UTF-8/],
    ['a number beyond a double', bytes('{"a":{"value":1e309}}'), /number too large/],
    ['a negative one', bytes('[-1e400]'), /number too large/],
    ['a member name twice', bytes('{"id":"urn:x:a","type":"T","id":"urn:x:b"}'), /member name "id" twice/],
    ['a name twice in a nested object', bytes('{"a":{"value":{"x":1,"y":2,"x":3}}}'), /member name "x" twice/],
    ['a name twice, written differently', bytes('{"\\u0069d":1,"id":2}'), /member name "id" twice/],
    ['a reserved key', bytes('{"__proto__":{"x":1}}'), /reserved key/],
    ['broken JSON', bytes('{"id":'), /not valid JSON/],
    ['a NUL', bytes('{"a":"x\\u0000"}'), /NUL/],
    ['a lone surrogate in a key', bytes('{"\\ud800":1}'), /well-formed Unicode/],
  ])('refuses %s', (_what, body, message) => {
    expect(() => parseJsonBody(body)).toThrow(InvalidJsonBody);
    expect(() => parseJsonBody(body)).toThrow(message);
  });

  it('takes any depth without overflowing the stack', () => {
    expect(() => parse(`${'['.repeat(5000)}${']'.repeat(5000)}`)).not.toThrow();
  });

  it('reads a megabyte quickly', () => {
    const entities = Array.from({ length: 4000 }, (_, i) => ({
      id: `urn:ngsi-ld:Sensor:${i}`,
      type: 'Sensor',
      description: { type: 'Property', value: `Sensor number ${i}, "quoted": and \\ escaped`.repeat(3) },
      level: { type: 'Property', value: i / 7, observedAt: '2026-01-01T00:00:00Z' },
    }));
    const body = bytes(JSON.stringify(entities));
    expect(body.length).toBeGreaterThan(1_000_000);
    parseJsonBody(body);
    const started = performance.now();
    for (let i = 0; i < 5; i++) parseJsonBody(body);
    const perBody = (performance.now() - started) / 5;
    const plain = performance.now();
    for (let i = 0; i < 5; i++) JSON.parse(body.toString('utf8'));
    const plainPerBody = (performance.now() - plain) / 5;
    // About twice a bare JSON.parse (generous, for loaded machines).
    expect(perBody).toBeLessThan(plainPerBody * 4 + 20);
  });
});
