import { createHash } from 'node:crypto';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { AttributeMap, AttributeInstance } from 'src/ngsi-ld/representation/entity.model';

/** The profile value that makes the entity id itself the subject id. */
export const ENTITY_ID_SUBJECT = '@id';

/** Longer ids than entity ids (URIs of up to 2048 characters) name nobody we hold. */
const MAX_SUBJECT_ID = 2048;
const CONTROL = /\p{Cc}/u;

/** How one dataset identifies data subjects and erases them (its personal-data profile, names expanded). */
export interface SubjectDataset {
  readonly dataset: string;
  readonly organisation: string;
  /** An attribute IRI, or {@link ENTITY_ID_SUBJECT}. */
  readonly subjectAttribute: string;
  readonly erasure: 'delete' | 'anonymise';
  readonly identifyingAttributes: readonly string[];
}

/** What an erasure did in one dataset: the receipt's line for it, and the audit record's details. */
export interface ErasureCount {
  readonly dataset: string;
  readonly organisation: string;
  readonly rule: 'delete' | 'anonymise';
  readonly entities: number;
  readonly historyRows: number;
  readonly changeRows: number;
  readonly notifications: number;
}

/** A subject id as the path gives it: any text an attribute may hold, within bounds. */
export function checkSubjectId(subjectId: string): string {
  if (subjectId.length === 0 || subjectId.length > MAX_SUBJECT_ID) {
    throw new BadRequestData(`A subject id has 1 to ${MAX_SUBJECT_ID} characters`);
  }
  if (CONTROL.test(subjectId)) throw new BadRequestData('A subject id holds no control characters');
  return subjectId;
}

/**
 * What the audit log names the subject by. The log is kept long and read by many admins: the id
 * itself would be personal data in it. The hash lets someone who knows the id find its records,
 * and tells nobody else whose they are (short of guessing ids and hashing each).
 */
export function subjectDigest(subjectId: string): string {
  return `sha256:${createHash('sha256').update(subjectId, 'utf8').digest('hex')}`;
}

/**
 * Whether an entity's attribute holds the subject: a Relationship whose object (or one of its
 * objects) is the id, or a Property whose value is the id string. Checked again on the locked
 * entity before erasing, so that a write in between cannot make us erase someone else's data.
 */
export function holdsSubject(entity: { id: string; attributes: AttributeMap }, subjectAttribute: string, subjectId: string): boolean {
  if (subjectAttribute === ENTITY_ID_SUBJECT) return entity.id === subjectId;
  return (entity.attributes[subjectAttribute] ?? []).some((instance) => instanceHolds(instance, subjectId));
}

function instanceHolds(instance: AttributeInstance, subjectId: string): boolean {
  const { object, value } = instance;
  if (object === subjectId || (Array.isArray(object) && object.includes(subjectId))) return true;
  return value === subjectId;
}

/**
 * The attributes an anonymising erasure removes: the subject attribute and the identifying ones.
 * Only attribute IRIs: "@id" names the entity id, which cannot be removed (see {@link ruleFor}).
 */
export function erasedAttributes(profile: SubjectDataset): string[] {
  return [...new Set([profile.subjectAttribute, ...profile.identifyingAttributes])].filter((name) => name !== ENTITY_ID_SUBJECT);
}

/**
 * The rule applied. When the entity id is the subject id, removing attributes would leave the id
 * (the person) behind: such entities are deleted whatever the profile says.
 */
export function ruleFor(profile: SubjectDataset): 'delete' | 'anonymise' {
  return profile.subjectAttribute === ENTITY_ID_SUBJECT ? 'delete' : profile.erasure;
}

/** The attributes of an entity without the erased ones. */
export function withoutAttributes(attributes: AttributeMap, erased: readonly string[]): AttributeMap {
  const drop = new Set(erased);
  return Object.fromEntries(Object.entries(attributes).filter(([iri]) => !drop.has(iri)));
}
