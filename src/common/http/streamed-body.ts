import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

/*
 * Bodies streamed from async iterables of text (downloads, dumps). Backpressure comes with
 * Readable.from: the next chunk is asked for only when the client has taken the ones before, so a
 * slow client slows the database reads instead of filling memory.
 */

/**
 * A stream of `chunks`, after the first has been produced: an error before any byte was sent is
 * thrown here and answered as problem details. An error after it goes to `failed`, which must end
 * the response (destroy its socket): the client sees the connection end early (a truncated file)
 * and the process carries on. The stream itself then just ends, so that no second answer is
 * attempted on a response already under way. When the client goes away, the iterable is closed
 * (its `finally` blocks run) and nothing more is read.
 */
export async function primedStream(chunks: AsyncIterable<string>, failed: (error: unknown) => void): Promise<Readable> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<string> {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } catch (error) {
      failed(error);
    } finally {
      await iterator.return?.(undefined);
    }
  }
  return Readable.from(all(), { objectMode: false });
}

/** The stream gzip-compressed; an error on either side destroys both. */
export function gzipped(body: Readable): Readable {
  // The error reaches the gzip stream, whose consumer (Fastify) ends the response; nothing to add here.
  return pipeline(body, createGzip(), () => undefined);
}
