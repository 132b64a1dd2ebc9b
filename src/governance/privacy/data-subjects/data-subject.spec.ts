import { checkSubjectId, erasedAttributes, holdsSubject, ruleFor, subjectDigest, SubjectDataset, withoutAttributes } from 'src/governance/privacy/data-subjects/data-subject';

const REF = 'https://example.org/refPerson';
const NAME = 'https://example.org/name';
const ANNA = 'urn:ngsi-ld:Person:anna';
const profile = (over: Partial<SubjectDataset>): SubjectDataset => ({
  dataset: 'd',
  organisation: 'o',
  subjectAttribute: REF,
  erasure: 'anonymise',
  identifyingAttributes: [REF, NAME],
  ...over,
});

describe('holdsSubject', () => {
  it('finds the subject as a Relationship object (one or several), a Property string value, or the entity id', () => {
    expect(holdsSubject({ id: 'e', attributes: { [REF]: [{ type: 'Relationship', object: ANNA }] } }, REF, ANNA)).toBe(true);
    expect(holdsSubject({ id: 'e', attributes: { [REF]: [{ type: 'Relationship', object: ['x', ANNA] }] } }, REF, ANNA)).toBe(true);
    expect(holdsSubject({ id: 'e', attributes: { [REF]: [{ type: 'Property', value: ANNA }] } }, REF, ANNA)).toBe(true);
    expect(holdsSubject({ id: ANNA, attributes: {} }, '@id', ANNA)).toBe(true);
  });

  it('does not find it in another attribute, another instance value, or a value merely containing it', () => {
    expect(holdsSubject({ id: 'e', attributes: { [NAME]: [{ type: 'Relationship', object: ANNA }] } }, REF, ANNA)).toBe(false);
    expect(holdsSubject({ id: 'e', attributes: { [REF]: [{ type: 'Property', value: `${ANNA}x` }] } }, REF, ANNA)).toBe(false);
    expect(holdsSubject({ id: 'e', attributes: { [REF]: [{ type: 'Property', value: [ANNA] }] } }, REF, ANNA)).toBe(false);
    expect(holdsSubject({ id: 'e', attributes: {} }, '@id', ANNA)).toBe(false);
  });
});

describe('erasure rules', () => {
  it('removes the subject attribute and the identifying ones, never "@id"', () => {
    expect(erasedAttributes(profile({ identifyingAttributes: [NAME, REF, '@id'] }))).toEqual([REF, NAME]);
  });

  it('deletes entities whose id is the subject id whatever the profile says: anonymising cannot remove an id', () => {
    expect(ruleFor(profile({ subjectAttribute: '@id', erasure: 'anonymise' }))).toBe('delete');
    expect(ruleFor(profile({}))).toBe('anonymise');
  });

  it('drops the erased attributes and keeps the rest', () => {
    const kept = { type: 'Property' as const, value: 30 };
    expect(withoutAttributes({ [REF]: [{ type: 'Relationship', object: ANNA }], d: [kept] }, [REF, NAME])).toEqual({ d: [kept] });
  });
});

describe('subject ids', () => {
  it('accepts any text of 1 to 2048 characters without control characters', () => {
    expect(checkSubjectId('19121212-1212')).toBe('19121212-1212');
    expect(() => checkSubjectId('')).toThrow(/1 to 2048/);
    expect(() => checkSubjectId('x'.repeat(2049))).toThrow(/1 to 2048/);
    expect(() => checkSubjectId('a\nb')).toThrow(/control/);
  });

  it('are named in the audit log by a SHA-256 only', () => {
    expect(subjectDigest('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
