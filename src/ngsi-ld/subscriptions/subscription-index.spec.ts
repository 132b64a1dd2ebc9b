import { SubscriptionIndex } from 'src/ngsi-ld/subscriptions/subscription-matcher';
import { change, contexts, loadContexts, SDM_WEATHER_OBSERVED, subscription, verdict } from 'src/ngsi-ld/subscriptions/testing/subscription-fixtures';

/* Which subscriptions a change is compared with (SubscriptionIndex): never one that would match left out. */
beforeAll(loadContexts);

describe('SubscriptionIndex', () => {
  const byId = () => subscription({ entities: [{ id: 'urn:ngsi-ld:Beach:askim' }, { id: 'urn:ngsi-ld:Lake:delsjon', type: 'Lake' }] });
  const byType = () => subscription({ entities: [{ type: 'Beach|Lake' }, { type: 'Sea', idPattern: '^urn:' }] });
  const byIdPattern = () => subscription({ entities: [{ idPattern: 'askim' }] });
  const byTypeAnd = () => subscription({ entities: [{ type: 'Beach;Lake' }] });
  const byIdOrType = () => subscription({ entities: [{ id: 'urn:ngsi-ld:Beach:askim' }, { type: 'Sea' }] });
  const everything = () => subscription({ watchedAttributes: ['temperature'] });

  it('offers an id-indexed subscription only for changes of its ids', () => {
    const s = byId();
    const index = new SubscriptionIndex([s]);
    expect(index.candidates(change('create'))).toEqual([s]);
    expect(index.candidates(change('create', { id: 'urn:ngsi-ld:Lake:delsjon', types: ['Lake'] }))).toEqual([s]);
    expect(index.candidates(change('create', { id: 'urn:ngsi-ld:Beach:saltholmen' }))).toEqual([]);
  });

  it('offers a type-indexed subscription for changes of entities with any of its types', () => {
    const s = byType();
    const index = new SubscriptionIndex([s]);
    for (const types of [['Beach'], ['Lake'], ['Sea'], ['Device', 'Lake']]) expect(index.candidates(change('create', { types }))).toEqual([s]);
    expect(index.candidates(change('create', { types: ['Device'] }))).toEqual([]);
  });

  it('offers a subscription once, even when the entity has several of its types', () => {
    const s = byType();
    expect(new SubscriptionIndex([s]).candidates(change('create', { types: ['Beach', 'Lake', 'Sea'] }))).toEqual([s]);
  });

  it.each([
    ['an idPattern alone', byIdPattern],
    ['an AND of types', byTypeAnd],
    ['an id in one selector and a type in another', byIdOrType],
    ['no entity selectors', everything],
  ])('offers a subscription selecting by %s for every change', (_what, make) => {
    const s = make();
    const index = new SubscriptionIndex([s]);
    expect(index.candidates(change('create'))).toEqual([s]);
    expect(index.candidates(change('delete', { id: 'urn:x:1', types: ['Device'] }))).toEqual([s]);
  });

  it('leaves periodic subscriptions out', () => {
    const periodic = subscription({ entities: [{ type: 'Beach' }], timeInterval: 60 });
    const periodicAll = subscription({ entities: [{ idPattern: '.*' }], timeInterval: 60 });
    expect(new SubscriptionIndex([periodic, periodicAll]).candidates(change('create'))).toEqual([]);
  });

  it('indexes type names expanded with each subscription’s @context', () => {
    const s = subscription({ entities: [{ type: 'WeatherObserved' }] }, { context: contexts.weather });
    const index = new SubscriptionIndex([s]);
    expect(index.candidates(change('create', { types: [SDM_WEATHER_OBSERVED] }))).toEqual([s]);
    expect(index.candidates(change('create', { types: ['WeatherObserved'] }))).toEqual([]);
  });

  it('offers every subscription that matches a change (and no other indexed one)', () => {
    const subscriptions = [
      byId(),
      byType(),
      byIdPattern(),
      byTypeAnd(),
      byIdOrType(),
      everything(),
      subscription({ entities: [{ type: 'Sea' }], notificationTrigger: ['entityDeleted'] }),
      subscription({ entities: [{ id: 'urn:ngsi-ld:Sea:kattegatt', type: 'Sea' }] }),
      subscription({ entities: [{ type: 'Beach' }], isActive: false }),
    ];
    const index = new SubscriptionIndex(subscriptions);
    const changes = [
      change('create'),
      change('create', { id: 'urn:ngsi-ld:Lake:delsjon', types: ['Lake', 'Beach'] }),
      change('update', { id: 'urn:ngsi-ld:Sea:kattegatt', types: ['Sea'], updated: ['temperature'] }),
      change('delete', { id: 'urn:ngsi-ld:Sea:kattegatt', types: ['Sea'] }),
      change('create', { id: 'urn:ngsi-ld:Device:1', types: ['Device'] }),
    ];
    for (const c of changes) {
      const candidates = new Set(index.candidates(c));
      const matching = subscriptions.filter((s) => verdict(s, c) !== 'no');
      expect(matching.filter((s) => !candidates.has(s))).toEqual([]);
    }
    const device = new Set(index.candidates(changes[4]));
    expect(subscriptions.filter((s) => device.has(s)).map((s) => subscriptions.indexOf(s))).toEqual([2, 3, 4, 5]);
  });
});
