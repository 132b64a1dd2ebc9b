import { csvChunks, jsonArrayChunks } from 'src/catalog/downloads/download-bodies';
import { JsonObject } from 'src/jsonld/value-codec';

async function* pages<T>(...items: T[][]): AsyncGenerator<T[]> {
  for (const page of items) yield page;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe('CSV bodies', () => {
  it('quotes as RFC 4180 says, with CRLF, and defuses formulas but not negative numbers', async () => {
    const chunks = await collect(csvChunks(['id', 'note'], pages([['a', 'x, "y"\nz']], [['=1+1', -2], ['@SUM(A1)', '+46 31']], [['-cmd', null]])));
    expect(chunks.join('')).toBe('id,note\r\na,"x, ""y""\nz"\r\n\'=1+1,-2\r\n\'@SUM(A1),\'+46 31\r\n\'-cmd,\r\n');
  });

  it('sends the header with the first page, so that nothing leaves before the first read succeeded', async () => {
    expect(await collect(csvChunks(['a'], pages([['1']], [['2']])))).toEqual(['a\r\n1\r\n', '2\r\n']);
    expect(await collect(csvChunks(['a'], pages()))).toEqual(['a\r\n']);
  });
});

describe('JSON bodies', () => {
  it('writes one array across pages, skipping empty ones', async () => {
    const chunks = await collect(jsonArrayChunks('[', ']', pages<JsonObject>([{ a: 1 }], [], [{ b: 2 }, { c: 3 }])));
    expect(chunks).toEqual(['[{"a":1}', ',{"b":2},{"c":3}', ']']);
    expect(JSON.parse(chunks.join(''))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect((await collect(jsonArrayChunks('{"features":[', ']}', pages<JsonObject>()))).join('')).toBe('{"features":[]}');
  });
});
