import { BURST_REPORT_MS, FailedAttempt, FailureThrottle } from 'src/auth/throttling/failure-throttle';

const LIMITS = { perAddress: 5, perKey: 3, windowSeconds: 60 };
const KEY = { id: 'k1', organisation: 'goteborg' };
const attempt = (at: number, overrides: Partial<FailedAttempt> = {}): FailedAttempt => ({ at, address: '192.0.2.1', reason: 'The API key is not valid', path: '/api/v1/me', ...overrides });

/** Failures `step` ms apart from `start`; the verdicts. */
function fail(throttle: FailureThrottle, times: number, start = 0, step = 1000) {
  return Array.from({ length: times }, (_, i) => throttle.failure(attempt(start + i * step)));
}

describe('the throttle of failed authentications', () => {
  it('lets the first failures of an address through, then throttles with Retry-After of one window', () => {
    const verdicts = fail(new FailureThrottle(LIMITS), 7);
    expect(verdicts.slice(0, 5)).toEqual(Array(5).fill({ throttled: false }));
    expect(verdicts.slice(5)).toEqual(Array(2).fill({ throttled: true, retryAfterSeconds: 60 }));
  });

  it('counts each address on its own', () => {
    const throttle = new FailureThrottle(LIMITS);
    fail(throttle, 6);
    expect(throttle.failure(attempt(6000, { address: '198.51.100.7' }))).toEqual({ throttled: false });
  });

  it('starts afresh after a window, unless failures went on while throttled', () => {
    const quiet = new FailureThrottle(LIMITS);
    fail(quiet, 5);
    expect(quiet.failure(attempt(61_000))).toEqual({ throttled: false });

    const persistent = new FailureThrottle(LIMITS);
    fail(persistent, 6); // the sixth, at 5 s, throttles until 65 s
    expect(persistent.failure(attempt(64_000)).throttled).toBe(true); // and this one until 124 s
    expect(persistent.failure(attempt(123_000)).throttled).toBe(true);
    expect(persistent.failure(attempt(183_001))).toEqual({ throttled: false });
  });

  it('throttles a known key failing from many addresses', () => {
    const throttle = new FailureThrottle(LIMITS);
    const verdicts = Array.from({ length: 5 }, (_, i) => throttle.failure(attempt(i, { address: `203.0.113.${i}`, key: KEY })));
    expect(verdicts.map((v) => v.throttled)).toEqual([false, false, false, true, true]);
  });

  it('summarises the throttled failures of a burst in one record once a window passed without one', () => {
    const throttle = new FailureThrottle(LIMITS);
    fail(throttle, 600, 0, 6); // 600 failures in 3.6 s: 5 ordinary, 595 throttled, the last at 3594 ms
    expect(throttle.takeSummaries(63_593)).toEqual([]);
    expect(throttle.takeSummaries(63_594)).toEqual([
      {
        scope: { address: '192.0.2.1' },
        count: 595,
        from: new Date(30),
        to: new Date(3594),
        ended: true,
        reasons: ['The API key is not valid'],
        paths: ['/api/v1/me'],
      },
    ]);
    expect(throttle.takeSummaries(70_000)).toEqual([]);
  });

  it('summarises a burst that goes on every BURST_REPORT_MS', () => {
    const throttle = new FailureThrottle(LIMITS);
    fail(throttle, 5);
    fail(throttle, BURST_REPORT_MS / 1000 + 1, 5000); // one a second, all throttled
    const [ongoing] = throttle.takeSummaries(5000 + BURST_REPORT_MS);
    expect(ongoing).toMatchObject({ ended: false, count: BURST_REPORT_MS / 1000 + 1, from: new Date(5000) });
    fail(throttle, 2, 6000 + BURST_REPORT_MS);
    expect(throttle.takeSummaries(7000 + BURST_REPORT_MS + 60_000)).toEqual([expect.objectContaining({ ended: true, count: 2 })]);
  });

  it('files a key burst with its organisation and the addresses it came from', () => {
    const throttle = new FailureThrottle(LIMITS);
    for (let i = 0; i < 5; i++) throttle.failure(attempt(i * 1000, { address: `203.0.113.${i}`, key: KEY }));
    const summaries = throttle.takeAll();
    expect(summaries).toEqual([
      expect.objectContaining({ scope: { keyId: 'k1', organisation: 'goteborg' }, count: 2, ended: false, addresses: ['203.0.113.3', '203.0.113.4'] }),
    ]);
    expect(throttle.takeAll()).toEqual([]);
  });

  it('forgets addresses that stopped failing', () => {
    const throttle = new FailureThrottle(LIMITS);
    fail(throttle, 5);
    throttle.takeSummaries(70_000);
    expect(fail(throttle, 5, 70_000).every((v) => !v.throttled)).toBe(true);
    expect(fail(throttle, 1, 75_000)[0].throttled).toBe(true);
  });
});
