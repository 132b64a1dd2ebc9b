import { ChangeRecord } from 'src/changes/change-record';
import { FanOutBatch } from 'src/changes/change-fan-out.service';
import { ChangeFollower, FollowedEvent, MAX_PENDING } from 'src/changes/change-follower';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { Forbidden } from 'src/governance/problems';

const snapshot = {} as GovernanceSnapshot;

function change(position: number): ChangeRecord {
  return {
    position,
    tenant: '',
    operation: 'update',
    entity: { id: `urn:ngsi-ld:Thing:${position}`, types: ['https://example.org/Thing'], scopes: null, attributes: {}, modifiedAt: '2026-01-01T00:00:00.000Z', datasetId: 'd' },
    datasetId: 'd',
    previous: {},
    createdAttributes: [],
    changedAt: '2026-01-01T00:00:00.000Z',
  };
}

const batch = (...positions: number[]): FanOutBatch => ({ changes: positions.map(change), snapshot });
const showAll = (b: FanOutBatch): FollowedEvent[] => b.changes.map((c) => ({ change: c }));
const positionOf = async (follower: ChangeFollower) => (await follower.next()).value?.change?.position;

describe('ChangeFollower', () => {
  it('sends the replay first, then what arrived meanwhile, each change once and in order', async () => {
    const follower = new ChangeFollower(10, showAll);
    follower.live(batch(12, 13));
    follower.replayed(showAll(batch(11, 12)), 12);
    follower.goLive();
    follower.live(batch(14));
    expect([await positionOf(follower), await positionOf(follower), await positionOf(follower), await positionOf(follower)]).toEqual([11, 12, 13, 14]);
  });

  it('skips changes at or before its position (a resume, or a batch it has seen)', async () => {
    const follower = new ChangeFollower(5, showAll);
    follower.goLive();
    follower.live(batch(4, 5, 6));
    expect(await positionOf(follower)).toBe(6);
  });

  it('ends after a refusal, and stops listening', async () => {
    const closed = jest.fn();
    const follower = new ChangeFollower(0, () => [{ refused: new Forbidden('no longer') }]);
    follower.onClose(closed);
    follower.goLive();
    follower.live(batch(1));
    expect((await follower.next()).value?.refused?.detail).toBe('no longer');
    expect(closed).toHaveBeenCalled();
    expect((await follower.next()).done).toBe(true);
  });

  it('ends a follower that falls too far behind rather than buffering without bound', async () => {
    const follower = new ChangeFollower(0, showAll);
    follower.goLive();
    follower.live(batch(...Array.from({ length: MAX_PENDING + 2 }, (_, i) => i + 1)));
    expect((await follower.next()).value?.refused?.status).toBe(503);
    expect((await follower.next()).done).toBe(true);
  });

  it('answers a waiting reader with done when the subscription is closed', async () => {
    const closed = jest.fn();
    const follower = new ChangeFollower(0, showAll);
    follower.onClose(closed);
    follower.goLive();
    const waiting = follower.next();
    await follower.return();
    expect((await waiting).done).toBe(true);
    expect(closed).toHaveBeenCalled();
  });
});
