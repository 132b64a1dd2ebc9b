import { change, contexts, loadContexts, property, SDM_TEMPERATURE, SDM_WEATHER_OBSERVED, subscription, verdict } from 'src/ngsi-ld/subscriptions/testing/subscription-fixtures';

/* Which changes a subscription wants (matchChange). */
beforeAll(loadContexts);

describe('matchChange', () => {
  describe('notification triggers', () => {
    const beaches = (members: Record<string, unknown> = {}) => subscription({ entities: [{ type: 'Beach' }], ...members });

    it('by default notifies attributes created and updated, and so entities created with attributes', () => {
      const s = beaches();
      expect(verdict(s, change('create'))).toBe('match');
      expect(verdict(s, change('create', { attrs: {} }))).toBe('no');
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('update', { attrs: { temperature: property(1), name: property('x') }, created: ['name'] }))).toBe('match');
      expect(verdict(s, change('update', { deleted: ['name'] }))).toBe('no');
      expect(verdict(s, change('update', { scopes: ['/Gothenburg'] }))).toBe('no');
      expect(verdict(s, change('delete'))).toBe('no');
    });

    it('entityCreated notifies creations only, with or without attributes', () => {
      const s = beaches({ notificationTrigger: ['entityCreated'] });
      expect(verdict(s, change('create'))).toBe('match');
      expect(verdict(s, change('create', { attrs: {} }))).toBe('match');
      expect(verdict(s, change('update', { updated: ['temperature'], created: ['name'] }))).toBe('no');
      expect(verdict(s, change('delete'))).toBe('no');
    });

    it('entityUpdated notifies any update, even of scopes alone, and nothing else', () => {
      const s = beaches({ notificationTrigger: ['entityUpdated'] });
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('update', { deleted: ['name'] }))).toBe('match');
      expect(verdict(s, change('update', { scopes: ['/Gothenburg'] }))).toBe('match');
      expect(verdict(s, change('create'))).toBe('no');
      expect(verdict(s, change('delete'))).toBe('no');
    });

    it('entityUpdated with watchedAttributes notifies updates that touch a watched attribute', () => {
      const s = beaches({ notificationTrigger: ['entityUpdated'], watchedAttributes: ['temperature'] });
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('update', { deleted: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('update', { attrs: { temperature: property(3) }, created: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('update', { updated: ['name'] }))).toBe('no');
      expect(verdict(s, change('update', { scopes: ['/Gothenburg'] }))).toBe('no');
    });

    it('entityDeleted notifies deletions, whatever attributes are watched', () => {
      expect(verdict(beaches({ notificationTrigger: ['entityDeleted'] }), change('delete'))).toBe('match');
      expect(verdict(beaches({ notificationTrigger: ['entityDeleted'], watchedAttributes: ['name'] }), change('delete'))).toBe('match');
      expect(verdict(beaches({ notificationTrigger: ['entityDeleted'] }), change('create'))).toBe('no');
      expect(verdict(beaches({ notificationTrigger: ['entityDeleted'] }), change('update', { updated: ['temperature'] }))).toBe('no');
    });

    it('attributeCreated notifies new attributes (those of a new entity too)', () => {
      const s = beaches({ notificationTrigger: ['attributeCreated'] });
      expect(verdict(s, change('create'))).toBe('match');
      expect(verdict(s, change('update', { attrs: { temperature: property(1), name: property('x') }, created: ['name'] }))).toBe('match');
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('no');
      expect(verdict(s, change('update', { deleted: ['name'] }))).toBe('no');
    });

    it('attributeUpdated notifies updated attributes only', () => {
      const s = beaches({ notificationTrigger: ['attributeUpdated'] });
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('create'))).toBe('no');
      expect(verdict(s, change('update', { attrs: { temperature: property(1), name: property('x') }, created: ['name'] }))).toBe('no');
      expect(verdict(s, change('update', { deleted: ['name'] }))).toBe('no');
    });

    it('attributeDeleted notifies deleted attributes, those of a deleted entity too', () => {
      const s = beaches({ notificationTrigger: ['attributeDeleted'] });
      expect(verdict(s, change('update', { deleted: ['name'] }))).toBe('match');
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('no');
      expect(verdict(s, change('create'))).toBe('no');
      // A deleted entity's attributes are deleted with it (clause 5.8.6); one without any deletes none.
      expect(verdict(s, change('delete'))).toBe('match');
      expect(verdict(s, change('delete', { attrs: {} }))).toBe('no');
    });

    it('with watchedAttributes, attribute triggers look at the watched attributes only', () => {
      const s = beaches({ watchedAttributes: ['temperature'], notificationTrigger: ['attributeCreated', 'attributeUpdated', 'attributeDeleted'] });
      expect(verdict(s, change('create'))).toBe('match');
      expect(verdict(s, change('create', { attrs: { name: property('Askim') } }))).toBe('no');
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('update', { updated: ['name'], deleted: ['colour'] }))).toBe('no');
      expect(verdict(s, change('update', { deleted: ['temperature'] }))).toBe('match');
      expect(verdict(s, change('delete'))).toBe('match');
      expect(verdict(s, change('delete', { attrs: { name: property('Askim') } }))).toBe('no');
    });

    it('takes several triggers as any of them', () => {
      const s = beaches({ notificationTrigger: ['entityCreated', 'entityDeleted'] });
      expect(verdict(s, change('create'))).toBe('match');
      expect(verdict(s, change('delete'))).toBe('match');
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('no');
    });

    it('expands watched attributes with the subscription’s @context', () => {
      const s = subscription({ watchedAttributes: ['temperature'] }, { context: contexts.weather });
      expect(verdict(s, change('update', { attrs: { [SDM_TEMPERATURE]: property(1) }, updated: [SDM_TEMPERATURE] }))).toBe('match');
      expect(verdict(s, change('update', { updated: ['temperature'] }))).toBe('no');
    });

    it('watches every entity when there are no entity selectors', () => {
      const s = subscription({ watchedAttributes: ['temperature'] });
      expect(verdict(s, change('update', { id: 'urn:ngsi-ld:Lake:delsjon', types: ['Lake'], updated: ['temperature'] }))).toBe('match');
    });
  });

  describe('entity selectors', () => {
    it('by id', () => {
      const s = subscription({ entities: [{ id: 'urn:ngsi-ld:Beach:askim' }] });
      expect(verdict(s, change('create'))).toBe('match');
      expect(verdict(s, change('create', { id: 'urn:ngsi-ld:Beach:saltholmen' }))).toBe('no');
    });

    it('by idPattern, a regular expression anywhere in the id unless anchored', () => {
      const anchored = subscription({ entities: [{ idPattern: '^urn:ngsi-ld:Beach:a' }] });
      const loose = subscription({ entities: [{ idPattern: 'holm' }] });
      expect(verdict(anchored, change('create'))).toBe('match');
      expect(verdict(anchored, change('create', { id: 'urn:ngsi-ld:Beach:saltholmen' }))).toBe('no');
      expect(verdict(loose, change('create', { id: 'urn:ngsi-ld:Beach:saltholmen' }))).toBe('match');
      expect(verdict(loose, change('create'))).toBe('no');
    });

    it('by type, expanded with the subscription’s @context, among all the entity’s types', () => {
      const s = subscription({ entities: [{ type: 'WeatherObserved' }] }, { context: contexts.weather });
      expect(verdict(s, change('create', { types: ['Device', SDM_WEATHER_OBSERVED] }))).toBe('match');
      expect(verdict(s, change('create', { types: ['WeatherObserved'] }))).toBe('no');
    });

    it.each<[string, string[], boolean]>([
      ['Beach|Lake', ['Lake'], true],
      ['Beach,Lake', ['Beach'], true],
      ['Beach|Lake', ['Sea'], false],
      ['Beach;Lake', ['Beach'], false],
      ['Beach;Lake', ['Lake', 'Beach'], true],
      ['(Beach;Lake)|Sea', ['Sea'], true],
      ['(Beach;Lake)|Sea', ['Lake'], false],
      ['Beach;(Lake|Sea)', ['Beach', 'Sea'], true],
      ['Beach;(Lake|Sea)', ['Lake', 'Sea'], false],
    ])('by type expression %s, for an entity of types %j: %s', (type, types, matches) => {
      expect(verdict(subscription({ entities: [{ type }] }), change('create', { types }))).toBe(matches ? 'match' : 'no');
    });

    it('needs every part of one selector, and any one of several selectors', () => {
      const both = subscription({ entities: [{ id: 'urn:ngsi-ld:Beach:askim', type: 'Lake' }] });
      expect(verdict(both, change('create'))).toBe('no');
      const patternAndType = subscription({ entities: [{ idPattern: 'askim$', type: 'Beach' }] });
      expect(verdict(patternAndType, change('create'))).toBe('match');
      expect(verdict(patternAndType, change('create', { types: ['Lake'] }))).toBe('no');
      const either = subscription({ entities: [{ type: 'Lake' }, { id: 'urn:ngsi-ld:Beach:askim' }] });
      expect(verdict(either, change('create'))).toBe('match');
      expect(verdict(either, change('create', { id: 'urn:ngsi-ld:Sea:x', types: ['Sea'] }))).toBe('no');
    });

    it('judges a deletion on the entity as it was', () => {
      const s = subscription({ entities: [{ type: 'Beach' }], notificationTrigger: ['entityDeleted'], q: 'temperature>20' });
      expect(verdict(s, change('delete', { attrs: { temperature: property(25) } }))).toBe('match');
      expect(verdict(s, change('delete', { attrs: { temperature: property(15) } }))).toBe('no');
    });
  });

  describe('scopeQ and q', () => {
    const withScope = (scopeQ: string) => subscription({ entities: [{ type: 'Beach' }], scopeQ });

    it.each<[string, string[] | null, boolean]>([
      ['/Gothenburg/Askim', ['/Gothenburg/Askim'], true],
      ['/Gothenburg/Askim', ['/Gothenburg/Askim/North'], false],
      ['/Gothenburg/#', ['/Gothenburg'], true],
      ['/Gothenburg/#', ['/Gothenburg/Askim/North'], true],
      ['/Gothenburg/#', ['/Goteborg'], false],
      ['/Gothenburg/+', ['/Gothenburg/Askim'], true],
      ['/Gothenburg/+', ['/Gothenburg/Askim/North'], false],
      ['/Gothenburg/+', ['/Gothenburg'], false],
      ['/#', ['/Boras'], true],
      ['/#', null, false],
      ['/Gothenburg/Askim;/Weather', ['/Weather', '/Gothenburg/Askim'], true],
      ['/Gothenburg/Askim;/Weather', ['/Gothenburg/Askim'], false],
      ['/Boras,/Gothenburg/#', ['/Gothenburg/Askim'], true],
      ['/Gothenburg/Askim', null, false],
    ])('scopeQ=%s for scopes %j: %s', (scopeQ, scopes, matches) => {
      expect(verdict(withScope(scopeQ), change('create', { scopes }))).toBe(matches ? 'match' : 'no');
    });

    it.each<[string, boolean]>([
      ['temperature>20', true],
      ['temperature>21', false],
      ['temperature==21;name=="Askim"', true],
      ['temperature<0|name~="^Ask"', true],
      ['!name', false],
      ['temperature.observedAt>=2026-11-20T00:00:00Z', true],
      ['temperature.observedAt>2026-11-20T09:00:00Z', false],
      ['colour', false],
      ['colour!="red"', false],
    ])('q=%s on the entity after the change: %s', (q, matches) => {
      const s = subscription({ entities: [{ type: 'Beach' }], q });
      const c = change('update', { attrs: { temperature: property(21, { observedAt: '2026-11-20T08:00:00Z' }), name: property('Askim') }, updated: ['temperature'] });
      expect(verdict(s, c)).toBe(matches ? 'match' : 'no');
    });

    it('expands q with the subscription’s @context', () => {
      const s = subscription({ watchedAttributes: ['temperature'], q: 'temperature>20' }, { context: contexts.weather });
      expect(verdict(s, change('update', { attrs: { [SDM_TEMPERATURE]: property(25) }, updated: [SDM_TEMPERATURE] }))).toBe('match');
      expect(verdict(s, change('update', { attrs: { [SDM_TEMPERATURE]: property(15) }, updated: [SDM_TEMPERATURE] }))).toBe('no');
    });

    it('leaves a geo-query to the database, once everything else holds', () => {
      const geoQ = { geometry: 'Point', coordinates: [11.97, 57.71], georel: 'near;maxDistance==2000' };
      const s = subscription({ entities: [{ type: 'Beach' }], geoQ, q: 'temperature>20' });
      expect(verdict(s, change('create'))).toBe('geo');
      expect(verdict(s, change('create', { types: ['Lake'] }))).toBe('no');
      expect(verdict(s, change('create', { attrs: { temperature: property(5) } }))).toBe('no');
    });
  });

  describe('tenant, state and expiry', () => {
    it('matches changes of its own tenant only', () => {
      const s = subscription({ entities: [{ type: 'Beach' }] }, { tenant: 'boras' });
      expect(verdict(s, change('create', { tenant: 'boras' }))).toBe('match');
      expect(verdict(s, change('create'))).toBe('no');
      expect(verdict(subscription({ entities: [{ type: 'Beach' }] }), change('create', { tenant: 'boras' }))).toBe('no');
    });

    it('matches nothing while paused', () => {
      expect(verdict(subscription({ entities: [{ type: 'Beach' }], isActive: false }), change('create'))).toBe('no');
    });

    it('matches nothing from the moment it expires', () => {
      const s = subscription({ entities: [{ type: 'Beach' }], expiresAt: '2026-11-20T11:00:00Z' });
      expect(verdict(s, change('create'), Date.parse('2026-11-20T10:59:59.999Z'))).toBe('match');
      expect(verdict(s, change('create'), Date.parse('2026-11-20T11:00:00Z'))).toBe('no');
      expect(verdict(s, change('create'), Date.parse('2026-11-21T00:00:00Z'))).toBe('no');
    });
  });
});

