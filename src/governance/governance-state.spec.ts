import { GovernanceRepository } from 'src/governance/governance.repository';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { GovernanceState } from 'src/governance/governance-state';

/** A repository whose version reads are answered by hand, to see which request waits for which read. */
function fakeRepository() {
  let version = '1';
  const reads: { resolve: () => void }[] = [];
  const repository = {
    version: () =>
      new Promise<string>((resolve) => {
        const answer = version; // the value as of when the read reached the database
        reads.push({ resolve: () => resolve(answer) });
      }),
    load: async () => new GovernanceSnapshot(version, [], [], []),
  } as unknown as GovernanceRepository;
  return { repository, reads, setVersion: (v: string) => (version = v) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('governance state', () => {
  it('shares one version read among requests that arrive while it is under way, and sends a new one for them', async () => {
    const { repository, reads } = fakeRepository();
    const state = new GovernanceState(repository);
    const first = state.current();
    await tick();
    const second = state.current();
    const third = state.current();
    await tick();
    expect(reads).toHaveLength(1); // the second and third wait: the first read began before they came
    reads[0].resolve();
    await first;
    await tick();
    expect(reads).toHaveLength(2); // one read for both
    reads[1].resolve();
    await Promise.all([second, third]);
  });

  it('never answers a request with a read that began before it, so a change committed before it arrived applies', async () => {
    const { repository, reads, setVersion } = fakeRepository();
    const state = new GovernanceState(repository);
    const warmUp = state.current();
    await tick();
    reads[0].resolve();
    expect((await warmUp).version).toBe('1');

    const early = state.current(); // its read reaches the database before the change...
    await tick();
    setVersion('2'); // ...a change commits...
    const late = state.current(); // ...and then a request arrives
    await tick();
    reads[1].resolve();
    expect((await early).version).toBe('1'); // the cached snapshot was current for it
    await tick();
    reads[2].resolve();
    expect((await late).version).toBe('2'); // reusing the early read would have served version 1
  });
});
