import { IngestBatcher } from 'src/ingest/mqtt/ingest-batcher';

const flushPromises = () => new Promise((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

describe('IngestBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function batcher(capacity: number, commit: (batch: readonly number[]) => Promise<void>, maxBatch = 500) {
    return new IngestBatcher<number>({ maxBatch, lingerMs: 20, capacity: () => capacity, retry: { initialMs: 100, maxMs: 400 } }, commit);
  }

  it('commits as soon as every connection has a message waiting, then settles them all', async () => {
    const commits: number[][] = [];
    const settled: [number, boolean][] = [];
    const b = batcher(3, async (batch) => void commits.push([...batch]));
    for (const m of [1, 2, 3]) b.add(m, (ok) => settled.push([m, ok]));
    await flushPromises();
    expect(commits).toEqual([[1, 2, 3]]);
    expect(settled).toEqual([[1, true], [2, true], [3, true]]);
  });

  it('commits what it has after the linger time, and never more than maxBatch at once', async () => {
    const commits: number[][] = [];
    const b = batcher(10, async (batch) => void commits.push([...batch]), 2);
    b.add(1, () => undefined);
    await flushPromises();
    expect(commits).toEqual([]);
    jest.advanceTimersByTime(20);
    await flushPromises();
    expect(commits).toEqual([[1]]);
    for (const m of [2, 3, 4]) b.add(m, () => undefined);
    await flushPromises();
    jest.advanceTimersByTime(20);
    await flushPromises();
    expect(commits).toEqual([[1], [2, 3], [4]]);
  });

  it('retries a failing commit with back-off and settles nothing until it succeeds', async () => {
    let failures = 2;
    const settled: boolean[] = [];
    const b = batcher(1, async () => {
      if (failures-- > 0) throw new Error('database away');
    });
    b.add(1, (ok) => settled.push(ok));
    await flushPromises();
    expect(settled).toEqual([]);
    jest.advanceTimersByTime(100);
    await flushPromises();
    expect(settled).toEqual([]);
    jest.advanceTimersByTime(200);
    await flushPromises();
    expect(settled).toEqual([true]);
  });

  it('settles uncommitted messages unacknowledged when stopped', async () => {
    const settled: [number, boolean][] = [];
    const b = batcher(1, async () => {
      throw new Error('database away');
    });
    b.add(1, (ok) => settled.push([1, ok]));
    await flushPromises();
    b.add(2, (ok) => settled.push([2, ok]));
    await b.stop();
    b.add(3, (ok) => settled.push([3, ok]));
    expect(settled).toEqual([[1, false], [2, false], [3, false]]);
  });
});
