import { stringify } from 'csv-stringify/sync';
import { Options } from 'csv-stringify';
import { JsonObject } from 'src/jsonld/value-codec';
import { Cell } from 'src/catalog/downloads/csv-layout';

/*
 * The bodies of downloads as text chunks, one per page read: whatever the size of the dataset,
 * memory holds one page and its text. The first chunk carries the header (or the opening of the
 * JSON) together with the first page, so that a failure of the first read is still answered as a
 * problem rather than as a truncated file.
 */

/**
 * RFC 4180 (CRLF, quotes where needed) and protection against formula injection: a text cell
 * that starts with = + - @ (or a tab or carriage return) gets a leading ' so that spreadsheets
 * show it instead of evaluating it; numbers keep their sign.
 */
export const CSV_OPTIONS: Options = {
  record_delimiter: 'windows',
  escape_formulas: true,
  cast: { boolean: (value) => String(value) },
};

export async function* csvChunks(header: readonly string[], pages: AsyncIterable<Cell[][]>): AsyncGenerator<string> {
  let pending = stringify([header], CSV_OPTIONS);
  for await (const rows of pages) {
    yield pending + stringify(rows, CSV_OPTIONS);
    pending = '';
  }
  if (pending) yield pending;
}

/** A JSON array (or an array inside `open`...`close`) written page by page. */
export async function* jsonArrayChunks(open: string, close: string, pages: AsyncIterable<JsonObject[]>): AsyncGenerator<string> {
  let pending = open;
  let empty = true;
  for await (const items of pages) {
    if (items.length === 0) continue;
    yield `${pending}${empty ? '' : ','}${items.map((item) => JSON.stringify(item)).join(',')}`;
    pending = '';
    empty = false;
  }
  yield pending + close;
}

/** Pages mapped page by page, in order. */
export async function* mapPages<T, U>(pages: AsyncIterable<T[]>, map: (page: T[]) => Promise<U[]>): AsyncGenerator<U[]> {
  for await (const page of pages) yield await map(page);
}
