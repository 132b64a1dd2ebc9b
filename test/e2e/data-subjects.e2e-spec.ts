import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { Sql } from 'src/database/sql';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * GDPR data-subject requests (access and erasure). Göteborg holds Anna's data in three datasets:
 * care alarms that refer to her (refPerson, erased by deleting), her own Person entity (the entity
 * id is the subject id) and home visits (refPerson and visitorName, erased by anonymising). Borås
 * holds a care alarm of hers too, which Göteborg's admins must never see or touch. Bertil's alarm
 * shares Göteborg's dataset and must survive Anna's erasure.
 */

const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';
const UNAUTHORIZED = 'urn:vg-datashare:problem:unauthorized';
const DEFAULT = 'https://uri.etsi.org/ngsi-ld/default-context/';
const REF_PERSON = `${DEFAULT}refPerson`;
const VISITOR_NAME = `${DEFAULT}visitorName`;

const ANNA = 'urn:ngsi-ld:Person:anna';
const BERTIL = 'urn:ngsi-ld:Person:bertil';
const ALARM = 'urn:ngsi-ld:CareAlarm:1';
const BERTILS_ALARM = 'urn:ngsi-ld:CareAlarm:2';
const VISIT = 'urn:ngsi-ld:HomeVisit:1';
const BORAS_ALARM = 'urn:ngsi-ld:CareAlarm:boras-1';

let idp: IdentityProvider;
let t: TestApp;
let receiver: NotificationReceiver;
const auth = {} as Record<'gbgAdmin' | 'gbgAdminNoMfa' | 'gbgWriter' | 'borasAdmin' | 'borasWriter' | 'alingsasAdmin', Record<string, string>>;
const datasets = {} as Record<'alarms' | 'persons' | 'visits' | 'borasAlarms', string>;

const day = (n: number) => `2026-06-${String(n).padStart(2, '0')}T08:00:00.000Z`;
const property = (value: unknown, observedAt: string) => ({ type: 'Property', value, observedAt });
const relationship = (object: string, observedAt: string) => ({ type: 'Relationship', object, observedAt });
const sql = () => t.app.get(Sql);
const path = (subject: string) => `/api/v1/data-subjects/${encodeURIComponent(subject)}`;
const digest = (subject: string) => `sha256:${createHash('sha256').update(subject).digest('hex')}`;

async function dataset(admin: Record<string, string>, type: string, personalData: Record<string, unknown>): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(admin)
    .send({
      title: { sv: type },
      description: { sv: type },
      entities: [{ type }],
      classification: { confidentiality: 2, integrity: 1, availability: 1 },
      personalData: { category: 'personal', legalBasis: ['dpv:PublicTask'], purposes: ['dpv:ServiceProvision'], ...personalData },
    })
    .expect(201);
  return res.body.id;
}

function write(body: unknown, headers: Record<string, string>, route = '/temporal/entities') {
  return request(t.http).post(`/ngsi-ld/v1${route}`).set({ ...headers, 'content-type': 'application/json' }).send(JSON.stringify(body));
}

async function rows<R extends object>(text: string, params: unknown[]): Promise<R[]> {
  return (await sql().query<R>(text, params)).rows;
}

const historyCount = async (id: string, attribute?: string) =>
  (await rows<{ n: number }>('SELECT count(*)::int AS n FROM attribute_instance WHERE entity_id = $1 AND ($2::text IS NULL OR attribute = $2)', [id, attribute ?? null]))[0].n;

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(type);
}

interface Exported {
  subject: string;
  datasets: { dataset: string; organisation: string; entities: number }[];
  entities: { tenant: string; dataset: string; entity: Record<string, unknown> & { id: string }; history: { attribute: string; instance: Record<string, unknown> }[] }[];
}

async function exported(subject: string, headers: Record<string, string>): Promise<Exported> {
  const res = await request(t.http).get(path(subject)).set(headers).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.body as Exported;
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  receiver = await NotificationReceiver.start();
  receiver.answer('/down', [], { status: 503 });
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error', NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS: 'true' }, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgAdminNoMfa = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.borasAdmin = await idp.bearer({ sub: 'admin-boras', organisation: 'boras', roles: ['admin'], amr: ['mfa'] });
  auth.borasWriter = await idp.bearer({ sub: 'writer-boras', organisation: 'boras', roles: ['writer'] });
  auth.alingsasAdmin = await idp.bearer({ sub: 'admin-alingsas', organisation: 'alingsas', roles: ['admin'], amr: ['otp'] });
  datasets.alarms = await dataset(auth.gbgAdmin, 'CareAlarm', { subjectAttribute: 'refPerson', erasure: 'delete', identifyingAttributes: ['refPerson'] });
  datasets.persons = await dataset(auth.gbgAdmin, 'Person', { subjectAttribute: '@id', erasure: 'delete', identifyingAttributes: [] });
  datasets.visits = await dataset(auth.gbgAdmin, 'HomeVisit', { subjectAttribute: 'refPerson', erasure: 'anonymise', identifyingAttributes: ['refPerson', 'visitorName'] });
  datasets.borasAlarms = await dataset(auth.borasAdmin, 'CareAlarm', { subjectAttribute: 'refPerson', erasure: 'delete', identifyingAttributes: ['refPerson'] });

  // One subscriber whose endpoint is down (what it has pending must go too), one that hears of deletions;
  // reading personal data takes a purpose the datasets allow.
  for (const [endpoint, trigger] of [['/down', 'entityCreated'], ['/deleted', 'entityDeleted']]) {
    await write({ type: 'Subscription', entities: [{ type: 'CareAlarm' }], notificationTrigger: [trigger], notification: { endpoint: { uri: receiver.url(endpoint) } } }, { ...auth.gbgWriter, 'vgds-purpose': 'dpv:ServiceProvision' }, '/subscriptions')
      .expect(201);
  }
  await write({ id: ANNA, type: 'Person', bodyTemperature: [property(37.1, day(1)), property(37.6, day(2))] }, auth.gbgWriter).expect(201);
  await write({ id: ALARM, type: 'CareAlarm', refPerson: [relationship(ANNA, day(1))], status: [property('on', day(1)), property('off', day(2))] }, auth.gbgWriter).expect(201);
  await write({ id: BERTILS_ALARM, type: 'CareAlarm', refPerson: [relationship(BERTIL, day(1))], status: [property('on', day(3))] }, auth.gbgWriter).expect(201);
  await write(
    { id: VISIT, type: 'HomeVisit', refPerson: [relationship(ANNA, day(1))], visitorName: [property('Cecilia', day(1))], durationMinutes: [property(30, day(1)), property(45, day(2))] },
    auth.gbgWriter,
  ).expect(201);
  // A current-state change: its change record keeps Cecilia as the previous value.
  await request(t.http)
    .patch(`/ngsi-ld/v1/entities/${VISIT}/attrs`)
    .set({ ...auth.gbgWriter, 'content-type': 'application/json' })
    .send(JSON.stringify({ visitorName: { type: 'Property', value: 'David' } }))
    .expect(204);
  await write({ id: BORAS_ALARM, type: 'CareAlarm', refPerson: [relationship(ANNA, day(1))], status: [property('on', day(1))] }, auth.borasWriter).expect(201);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
  await receiver?.close();
}, 60_000);

describe('who may ask', () => {
  it('asks anonymous callers for credentials', async () => {
    expectProblem(await request(t.http).get(path(ANNA)), 401, UNAUTHORIZED);
    expectProblem(await request(t.http).delete(path(ANNA)), 401, UNAUTHORIZED);
  });

  it('refuses an administrator without MFA, saying so, and a writer', async () => {
    const noMfa = await request(t.http).get(path(ANNA)).set(auth.gbgAdminNoMfa);
    expectProblem(noMfa, 403, FORBIDDEN);
    expect(noMfa.body.detail).toMatch(/multi-factor/);
    expectProblem(await request(t.http).delete(path(ANNA)).set(auth.gbgAdminNoMfa), 403, FORBIDDEN);
    expectProblem(await request(t.http).get(path(ANNA)).set(auth.gbgWriter), 403, FORBIDDEN);
    expectProblem(await request(t.http).delete(path(ANNA)).set(auth.gbgWriter), 403, FORBIDDEN);
  });

  it('audits refusals naming the subject by its hash only (the audit log keeps what it is given)', async () => {
    const res = await request(t.http).get('/api/v1/audit-log?event=access.refused').set(auth.gbgAdmin).expect(200);
    const refusals = res.body.filter((r: { target: string }) => r.target === digest(ANNA));
    expect(refusals.map((r: { actor: string }) => r.actor).sort()).toEqual(['admin-gbg', 'admin-gbg', 'writer-gbg', 'writer-gbg']);
    expect(JSON.stringify(res.body)).not.toContain(encodeURIComponent(ANNA));
    expect(JSON.stringify(res.body)).not.toContain(ANNA);
  });

  it('refuses an organisation\'s API keys: data-subject requests are acts of a person who proved a second factor (or of a platform administrator key)', async () => {
    expectProblem(await request(t.http).get(path(ANNA)).set({ 'x-api-key': t.writer.apiKey }), 403, FORBIDDEN);
  });

  it('answers a bad subject id with a problem, not a server error', async () => {
    expectProblem(await request(t.http).get(path('x'.repeat(3000))).set(auth.gbgAdmin), 400, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    expectProblem(await request(t.http).delete(path('a\u0001b')).set(auth.gbgAdmin), 400, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
  });
});

describe('export', () => {
  it("gives Göteborg's admin Anna's entities of its three datasets with their whole history, and nothing of Borås", async () => {
    const body = await exported(ANNA, auth.gbgAdmin);
    expect(body.subject).toBe(ANNA);
    expect(body.datasets.map((d) => [d.dataset, d.entities]).sort()).toEqual(
      [[datasets.alarms, 1], [datasets.persons, 1], [datasets.visits, 1]].sort(),
    );
    expect(body.entities.map((e) => e.entity.id).sort()).toEqual([ALARM, VISIT, ANNA].sort());
    const alarm = body.entities.find((e) => e.entity.id === ALARM)!;
    expect(alarm).toMatchObject({ tenant: '', dataset: datasets.alarms, entity: { type: 'CareAlarm', refPerson: { type: 'Relationship', object: ANNA } } });
    const statuses = alarm.history.filter((h) => h.attribute === 'status').map((h) => h.instance.value);
    expect(statuses).toEqual(['on', 'off']);
    const temperatures = body.entities.find((e) => e.entity.id === ANNA)!.history.map((h) => h.instance.value);
    expect(temperatures).toEqual([37.1, 37.6]);
    expect(JSON.stringify(body)).not.toContain(BORAS_ALARM);
  });

  it('answers as its OpenAPI description says (the contract check cannot sample a streamed body)', async () => {
    const document = (await request(t.http).get('/openapi.json').expect(200)).body;
    const schema = document.paths['/api/v1/data-subjects/{subjectId}'].get.responses['200'].content['application/ld+json'].schema;
    const validate = addFormats(new Ajv2020({ strict: false })).compile(schema);
    expect(validate(await exported(ANNA, auth.gbgAdmin))).toBe(true);
  });

  it("gives Borås's admin only Borås's entity", async () => {
    const body = await exported(ANNA, auth.borasAdmin);
    expect(body.entities.map((e) => e.entity.id)).toEqual([BORAS_ALARM]);
  });

  it('gives an admin of an organisation holding nothing of hers empty lists: the same answer as for a subject nobody knows', async () => {
    const body = await exported(ANNA, auth.alingsasAdmin);
    expect(body).toMatchObject({ subject: ANNA, datasets: [], entities: [] });
    expect(await exported('urn:ngsi-ld:Person:nobody', auth.gbgAdmin)).toMatchObject({ entities: [] });
  });

  it('is audited per organisation, naming the subject by its hash only', async () => {
    const res = await request(t.http).get('/api/v1/audit-log?event=data-subject.exported').set(auth.gbgAdmin).expect(200);
    const record = res.body.find((r: { target: string }) => r.target === digest(ANNA));
    expect(record).toMatchObject({ organisation: 'goteborg', actor: 'admin-gbg' });
    expect(record.details.datasets).toHaveLength(3);
    expect(JSON.stringify(res.body)).not.toContain(ANNA);
  });
});

describe('erasure', () => {
  let receipt: { subject: string; erasedAt: string; datasets: Record<string, unknown>[] };
  const pendingOf = (id: string) => rows('SELECT 1 FROM pending_notification p JOIN change c ON c.position = p.position WHERE c.entity_id = $1', [id]);
  beforeAll(async () => {
    // The down subscriber has Anna's alarm pending before the erasure.
    await receiver.until(() => receiver.attempts.some((a) => a.path === '/down'), 15_000, 'a failed delivery');
    expect(await pendingOf(ALARM)).not.toEqual([]);
    receipt = (await request(t.http).delete(path(ANNA)).set(auth.gbgAdmin).expect(200)).body;
  });

  it('answers with a receipt per dataset', () => {
    expect(receipt.subject).toBe(ANNA);
    const line = (dataset: string) => receipt.datasets.find((d) => d.dataset === dataset);
    expect(line(datasets.alarms)).toMatchObject({ organisation: 'goteborg', rule: 'delete', entities: 1, historyRows: 3 });
    expect(line(datasets.persons)).toMatchObject({ rule: 'delete', entities: 1, historyRows: 2 });
    expect(line(datasets.visits)).toMatchObject({ rule: 'anonymise', entities: 1, historyRows: 3 });
    expect(receipt.datasets.every((d) => (d.changeRows as number) >= 1)).toBe(true);
    expect(receipt.datasets.map((d) => d.dataset)).not.toContain(datasets.borasAlarms);
  });

  it('deletes entities under a delete rule with their history, leaving a deletion notice without attributes', async () => {
    for (const id of [ALARM, ANNA]) {
      expect(await rows('SELECT 1 FROM entity WHERE id = $1', [id])).toEqual([]);
      expect(await historyCount(id)).toBe(0);
      expect(await rows('SELECT 1 FROM entity_attr_value WHERE entity_id = $1', [id])).toEqual([]);
      expect(await rows('SELECT operation, attrs, previous FROM change WHERE entity_id = $1', [id])).toEqual([{ operation: 'delete', attrs: {}, previous: {} }]);
    }
  });

  it("drops what subscribers had pending of the erased entities, and tells them of the deletion with nothing but id and type", async () => {
    expect(receipt.datasets.find((d) => d.dataset === datasets.alarms)).toMatchObject({ notifications: 1 });
    // What may be pending now is the deletion notice alone (once sequenced), without values.
    const pending = await rows<{ operation: string; attrs: object }>(
      'SELECT c.operation, c.attrs FROM pending_notification p JOIN change c ON c.position = p.position WHERE c.entity_id = $1',
      [ALARM],
    );
    expect(pending.filter((row) => row.operation !== 'delete' || JSON.stringify(row.attrs) !== '{}')).toEqual([]);
    await receiver.until(() => receiver.entities('/deleted').length > 0, 15_000, 'the deletion notice');
    expect(receiver.entities('/deleted')).toEqual([expect.objectContaining({ id: ALARM, type: 'CareAlarm' })]);
    expect(JSON.stringify(receiver.entities('/deleted'))).not.toContain(ANNA);
  });

  // A sender retrying a dead endpoint reads its pending changes from the database again: the
  // change it held in memory before the erasure is not the one that goes out.
  it('does not deliver an erased change to a subscriber whose endpoint comes back', async () => {
    receiver.answer('/down', [], { status: 204 });
    await receiver.until(() => receiver.entities('/down').length > 0, 15_000, 'the delivery after the outage');
    expect(receiver.entities('/down').map((e) => e.id)).not.toContain(ALARM);
  });

  it('anonymises entities under an anonymise rule: no subject or identifying attribute anywhere, the rest kept', async () => {
    const [visit] = await rows<{ attrs: Record<string, unknown> }>('SELECT attrs FROM entity WHERE id = $1', [VISIT]);
    expect(Object.keys(visit.attrs)).toEqual([`${DEFAULT}durationMinutes`]);
    expect(await historyCount(VISIT, REF_PERSON)).toBe(0);
    expect(await historyCount(VISIT, VISITOR_NAME)).toBe(0);
    expect(await historyCount(VISIT, `${DEFAULT}durationMinutes`)).toBe(2);
    expect(await rows('SELECT 1 FROM entity_attr_value WHERE entity_id = $1 AND attr = ANY ($2)', [VISIT, [REF_PERSON, VISITOR_NAME]])).toEqual([]);
    const changes = JSON.stringify(await rows('SELECT attrs, previous FROM change WHERE entity_id = $1', [VISIT]));
    for (const personal of [ANNA, 'Cecilia', 'David']) expect(changes).not.toContain(personal);
  });

  it("leaves other subjects' data and other organisations' data alone", async () => {
    expect(await rows('SELECT 1 FROM entity WHERE id = ANY ($1)', [[BERTILS_ALARM, BORAS_ALARM]])).toHaveLength(2);
    expect(await historyCount(BORAS_ALARM)).toBe(2);
  });

  it('leaves nothing for a later export to find', async () => {
    expect((await exported(ANNA, auth.gbgAdmin)).entities).toEqual([]);
    expect((await exported(ANNA, auth.borasAdmin)).entities.map((e) => e.entity.id)).toEqual([BORAS_ALARM]);
  });

  it('is audited per organisation with the counts, naming the subject by its hash only', async () => {
    const res = await request(t.http).get('/api/v1/audit-log?event=data-subject.erased').set(auth.gbgAdmin).expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ organisation: 'goteborg', target: digest(ANNA), details: { datasets: expect.arrayContaining([expect.objectContaining({ dataset: datasets.visits, rule: 'anonymise', entities: 1 })]) } });
    expect(JSON.stringify(res.body)).not.toContain(ANNA);
  });

  it('erases again with nothing left to erase, and Borås erases its own', async () => {
    const again = (await request(t.http).delete(path(ANNA)).set(auth.gbgAdmin).expect(200)).body;
    expect(again.datasets.every((d: { entities: number }) => d.entities === 0)).toBe(true);
    const boras = (await request(t.http).delete(path(ANNA)).set(auth.borasAdmin).expect(200)).body;
    expect(boras.datasets).toEqual([expect.objectContaining({ dataset: datasets.borasAlarms, organisation: 'boras', rule: 'delete', entities: 1, historyRows: 2 })]);
    expect(await rows('SELECT 1 FROM entity WHERE id = $1', [BORAS_ALARM])).toEqual([]);
  });
});
