import { ChangeRecord } from 'src/changes/change-record';
import { JsonObject } from 'src/jsonld/value-codec';
import { renderChanges } from 'src/ngsi-ld/subscriptions/delivery/notification-renderer';
import { change, contexts, iri, loadContexts, NOW, property, subscription, WEATHER } from 'src/ngsi-ld/subscriptions/testing/subscription-fixtures';

/* What notifications of deletions carry (clause 5.8.6), and the @context their Link header names. */

beforeAll(loadContexts);

const NULL = 'urn:ngsi-ld:null';
const CREATED = '2026-11-01T08:00:00.000Z';
const MODIFIED = '2026-11-10T08:00:00.000Z';
const at = (instances: Record<string, unknown>[]) => instances.map((instance) => ({ ...instance, createdAt: CREATED, modifiedAt: MODIFIED }));
/** A beach with a Property, a Relationship and a LanguageProperty. */
const ATTRS = {
  temperature: at([{ type: 'Property', value: 21 }]),
  locatedAt: at([{ type: 'Relationship', object: 'urn:ngsi-ld:City:goteborg' }]),
  name: at([{ type: 'LanguageProperty', languageMap: { sv: 'Askimsbadet', en: 'Askim beach' } }]),
};

function deletion(): ChangeRecord {
  const c = change('delete', { attrs: ATTRS as never });
  return { ...c, entity: { ...c.entity, createdAt: CREATED, modifiedAt: MODIFIED } };
}
/** An update that deleted the three attributes. */
const attributesDeleted = () => withDeleted();
function withDeleted(): ChangeRecord {
  const c = change('update', { attrs: { level: property(1) } });
  const previous = Object.fromEntries(Object.entries(ATTRS).map(([name, instances]) => [iri(name), instances])) as ChangeRecord['previous'];
  return { ...c, previous };
}
/** The one entity a subscription with these members is notified of the change with. */
async function notified(members: Record<string, unknown>, c: ChangeRecord): Promise<JsonObject> {
  const { body } = await renderChanges(subscription({ entities: [{ type: 'Beach' }], ...members }), [c], NOW);
  return (body.data as JsonObject[])[0];
}
const endpoint = { uri: 'https://receiver.test/n' };

describe('a deleted entity', () => {
  it('is its id, type and deletedAt only', async () => {
    expect(await notified({ notificationTrigger: ['entityDeleted'] }, deletion())).toEqual({ id: 'urn:ngsi-ld:Beach:askim', type: 'Beach', deletedAt: NOW.toISOString() });
  });

  it('with sysAttrs, also its createdAt and modifiedAt', async () => {
    const data = await notified({ notificationTrigger: ['entityDeleted'], notification: { sysAttrs: true, endpoint } }, deletion());
    expect(data).toEqual({ id: 'urn:ngsi-ld:Beach:askim', type: 'Beach', deletedAt: NOW.toISOString(), createdAt: CREATED, modifiedAt: MODIFIED });
  });

  it('with showChanges, every attribute as NGSI-LD Null of its kind with its previous value', async () => {
    const data = await notified({ notificationTrigger: ['entityDeleted'], notification: { showChanges: true, endpoint } }, deletion());
    expect(data).toEqual({
      id: 'urn:ngsi-ld:Beach:askim',
      type: 'Beach',
      deletedAt: NOW.toISOString(),
      temperature: { type: 'Property', value: NULL, previousValue: 21 },
      locatedAt: { type: 'Relationship', object: NULL, previousObject: 'urn:ngsi-ld:City:goteborg' },
      name: { type: 'LanguageProperty', languageMap: { '@none': NULL }, previousLanguageMap: { sv: 'Askimsbadet', en: 'Askim beach' } },
    });
  });

  it('with attributeDeleted, its watched attributes as deleted (notification.attributes applied)', async () => {
    const watched = await notified({ notificationTrigger: ['attributeDeleted'], watchedAttributes: ['locatedAt'] }, deletion());
    expect(watched).toEqual({ id: 'urn:ngsi-ld:Beach:askim', type: 'Beach', deletedAt: NOW.toISOString(), locatedAt: { type: 'Relationship', object: NULL } });
    const all = await notified({ notificationTrigger: ['attributeDeleted'], notification: { attributes: ['temperature', 'name'], sysAttrs: true, endpoint } }, deletion());
    expect(all.temperature).toEqual({ type: 'Property', value: NULL, createdAt: CREATED, modifiedAt: MODIFIED, deletedAt: NOW.toISOString() });
    expect(Object.keys(all).sort()).toEqual(['createdAt', 'deletedAt', 'id', 'modifiedAt', 'name', 'temperature', 'type']);
  });
});

describe('deleted attributes (attributeDeleted)', () => {
  it('keep their kind, normalized', async () => {
    const data = await notified({ notificationTrigger: ['attributeDeleted'] }, attributesDeleted());
    expect(data).toEqual({
      id: 'urn:ngsi-ld:Beach:askim',
      type: 'Beach',
      level: { type: 'Property', value: 1 },
      temperature: { type: 'Property', value: NULL },
      locatedAt: { type: 'Relationship', object: NULL },
      name: { type: 'LanguageProperty', languageMap: { '@none': NULL } },
    });
  });

  it('are values alone in keyValues, and without the redundant type in concise', async () => {
    const keyValues = await notified({ notificationTrigger: ['attributeDeleted'], notification: { format: 'keyValues', endpoint } }, attributesDeleted());
    expect(keyValues).toEqual({ id: 'urn:ngsi-ld:Beach:askim', type: 'Beach', level: 1, temperature: NULL, locatedAt: NULL, name: { '@none': NULL } });
    const concise = await notified({ notificationTrigger: ['attributeDeleted'], notification: { format: 'concise', showChanges: true, endpoint } }, attributesDeleted());
    expect(concise).toMatchObject({ temperature: { value: NULL, previousValue: 21 }, locatedAt: { object: NULL, previousObject: 'urn:ngsi-ld:City:goteborg' } });
  });
});

describe('the Link header of a JSON notification', () => {
  it('names the @context the data are compacted with', async () => {
    const core = await renderChanges(subscription({ entities: [{ type: 'Beach' }] }), [change('create')], NOW);
    expect(core.headers.link).toBe(`<${contexts.core.coreContextUrl}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
    const weather = await renderChanges(subscription({ entities: [{ type: 'Beach' }] }, { context: contexts.weather }), [change('create')], NOW);
    expect(weather.headers.link).toBe(`<${WEATHER}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
  });
});
