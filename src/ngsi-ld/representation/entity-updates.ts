import { AttributeInstance, AttributeMap, EntityData, isSubAttributeKey } from 'src/ngsi-ld/representation/entity.model';

/*
 * What the NGSI-LD update operations (clause 5.6) do to an entity, as pure functions over the
 * stored form. Attributes match by name; their instances by datasetId (none: the default one).
 * An instance that is replaced keeps its createdAt; whatever changes gets modifiedAt = now.
 */

/** The part of a payload that changes an entity: types to add, attributes by IRI. */
export interface Fragment {
  readonly types?: readonly string[];
  readonly scopes?: readonly string[] | null;
  readonly attributes: AttributeMap;
}

export interface NotUpdated {
  readonly attribute: string;
  readonly reason: string;
}

export interface UpdateOutcome {
  readonly entity: EntityData;
  readonly updated: string[];
  readonly notUpdated: NotUpdated[];
}

/** NGSI-LD's null (clause 4.5.x): in a merge, the value that deletes. */
export const NGSI_LD_NULL = 'urn:ngsi-ld:null';

/**
 * Append (5.6.3): adds attributes and instances, replacing existing ones unless `noOverwrite`;
 * types and scopes given are added to the entity's.
 */
export function appendAttributes(entity: EntityData, fragment: Fragment, noOverwrite: boolean): UpdateOutcome {
  const attributes = { ...entity.attributes };
  const updated: string[] = [];
  const notUpdated: NotUpdated[] = [];
  for (const [iri, instances] of Object.entries(fragment.attributes)) {
    const existing = attributes[iri] ?? [];
    if (noOverwrite && instances.some((instance) => findInstance(existing, instance.datasetId))) {
      notUpdated.push({ attribute: iri, reason: 'the attribute exists and noOverwrite is set' });
      continue;
    }
    attributes[iri] = mergeInstances(existing, instances, (old, replacement) => keepCreatedAt(old, replacement));
    updated.push(iri);
  }
  const scopes = fragment.scopes ? [...new Set([...(entity.scopes ?? []), ...fragment.scopes])] : entity.scopes;
  return { entity: { ...withChanges(entity, { ...fragment, scopes: undefined }, attributes), scopes }, updated, notUpdated };
}

/**
 * Update (5.6.2): replaces only attributes and instances that exist (the others are reported);
 * an instance of NGSI-LD null deletes the one it names. Types given are added, a scope given
 * replaces the entity's.
 */
export function updateAttributes(entity: EntityData, fragment: Fragment): UpdateOutcome {
  const attributes = { ...entity.attributes };
  const updated: string[] = [];
  const notUpdated: NotUpdated[] = [];
  for (const [iri, instances] of Object.entries(fragment.attributes)) {
    const existing = attributes[iri];
    const missing = instances.find((instance) => !existing || !findInstance(existing, instance.datasetId));
    if (!existing || missing) {
      notUpdated.push({ attribute: iri, reason: existing ? `no instance with datasetId ${missing!.datasetId}` : 'the entity has no such attribute' });
      continue;
    }
    const deleted = new Set(instances.filter(isNgsiLdNull).map((instance) => instance.datasetId));
    const kept = mergeInstances(existing, instances.filter((instance) => !isNgsiLdNull(instance)), keepCreatedAt).filter(
      (instance) => !deleted.has(instance.datasetId),
    );
    if (kept.length === 0) delete attributes[iri];
    else attributes[iri] = kept;
    updated.push(iri);
  }
  return { entity: withChanges(entity, fragment, attributes), updated, notUpdated };
}

/** Whether a change gave the entity other types or scopes (attributes are counted apart). */
export function headChanged(before: EntityData, after: EntityData): boolean {
  const same = (a: readonly string[] | null, b: readonly string[] | null) =>
    (a ?? []).length === (b ?? []).length && (a ?? []).every((item) => (b ?? []).includes(item));
  return !same(before.types, after.types) || !same(before.scopes, after.scopes);
}

/** Merge (5.6.17): adds what is new, merges what exists member by member, deletes what is NGSI-LD null. */
export function mergeEntity(entity: EntityData, fragment: Fragment, now: string): UpdateOutcome {
  const attributes = { ...entity.attributes };
  const updated: string[] = [];
  for (const [iri, instances] of Object.entries(fragment.attributes)) {
    const merged = mergeAttribute(attributes[iri] ?? [], instances, now);
    if (merged.length === 0) delete attributes[iri];
    else attributes[iri] = merged;
    updated.push(iri);
  }
  return { entity: withChanges(entity, fragment, attributes), updated, notUpdated: [] };
}

/**
 * Partial attribute update (5.6.4): the given members of one instance change, the rest stay;
 * sub-attributes of NGSI-LD null are deleted, and so is the instance when its value is.
 */
export function updateAttributePartially(
  entity: EntityData,
  iri: string,
  patch: AttributeInstance,
  now: string,
): EntityData | 'no-attribute' | 'no-instance' {
  const existing = entity.attributes[iri];
  if (!existing) return 'no-attribute';
  const current = findInstance(existing, patch.datasetId);
  if (!current) return 'no-instance';
  if (isNgsiLdNull(patch)) {
    // NGSI-LD null as the value deletes the instance (and the attribute with its last instance).
    const attributes = { ...entity.attributes, [iri]: existing.filter((instance) => instance !== current) };
    if (attributes[iri].length === 0) delete attributes[iri];
    return { ...entity, attributes };
  }
  const changed = { ...mergeMembers(current, patch, now), modifiedAt: now };
  return { ...entity, attributes: { ...entity.attributes, [iri]: existing.map((i) => (i === current ? changed : i)) } };
}

/** Replace attribute (5.6.19): the attribute's instances given replace those with the same datasetId. */
export function replaceAttribute(entity: EntityData, iri: string, instances: AttributeInstance[]): EntityData | undefined {
  const existing = entity.attributes[iri];
  if (!existing) return undefined;
  const attributes = { ...entity.attributes, [iri]: mergeInstances(existing, instances, keepCreatedAt) };
  return { ...entity, attributes };
}

/** Delete attribute (5.6.5): the default instance, one datasetId, or all instances. */
export function deleteAttribute(
  entity: EntityData,
  iri: string,
  selection: { datasetId?: string; deleteAll: boolean },
): EntityData | undefined {
  const existing = entity.attributes[iri];
  if (!existing) return undefined;
  const remaining = selection.deleteAll ? [] : existing.filter((instance) => instance.datasetId !== selection.datasetId);
  if (remaining.length === existing.length) return undefined;
  const attributes = { ...entity.attributes };
  if (remaining.length === 0) delete attributes[iri];
  else attributes[iri] = remaining;
  return { ...entity, attributes };
}

/** Replace entity (5.6.18): a new state under the same id; createdAt stays. */
export function replaceEntity(entity: EntityData, replacement: EntityData): EntityData {
  return { ...replacement, id: entity.id, createdAt: entity.createdAt };
}

function withChanges(entity: EntityData, fragment: Fragment, attributes: AttributeMap): EntityData {
  const types = fragment.types ? [...new Set([...entity.types, ...fragment.types])] : entity.types;
  const scopes = fragment.scopes !== undefined ? fragment.scopes && [...fragment.scopes] : entity.scopes;
  return { ...entity, types, scopes, attributes };
}

function findInstance(instances: readonly AttributeInstance[], datasetId: string | undefined): AttributeInstance | undefined {
  return instances.find((instance) => instance.datasetId === datasetId);
}

/** Instances of `incoming` take the place of those with the same datasetId; the others stay. */
function mergeInstances(
  existing: readonly AttributeInstance[],
  incoming: readonly AttributeInstance[],
  combine: (old: AttributeInstance, replacement: AttributeInstance) => AttributeInstance,
): AttributeInstance[] {
  const result = existing.map((old) => {
    const replacement = findInstance(incoming, old.datasetId);
    return replacement ? combine(old, replacement) : old;
  });
  for (const instance of incoming) {
    if (!findInstance(existing, instance.datasetId)) result.push(instance);
  }
  return result;
}

function keepCreatedAt(old: AttributeInstance, replacement: AttributeInstance): AttributeInstance {
  return { ...replacement, createdAt: old.createdAt ?? replacement.createdAt };
}

function mergeAttribute(existing: readonly AttributeInstance[], incoming: readonly AttributeInstance[], now: string): AttributeInstance[] {
  const deleted = new Set(incoming.filter(isNgsiLdNull).map((instance) => instance.datasetId));
  const merged = mergeInstances(existing, incoming.filter((instance) => !isNgsiLdNull(instance)), (old, patch) => ({
    ...mergeMembers(old, patch, now),
    modifiedAt: now,
  }));
  return merged.filter((instance) => !deleted.has(instance.datasetId));
}

/** Members of `patch` replace those of `instance`; sub-attributes merge the same way, NGSI-LD null deletes. */
function mergeMembers(instance: AttributeInstance, patch: AttributeInstance, now: string): AttributeInstance {
  const out: AttributeInstance = { ...instance };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'createdAt' || key === 'modifiedAt') continue;
    if (!isSubAttributeKey(key) || !Array.isArray(value)) {
      out[key] = value;
      continue;
    }
    const merged = mergeAttribute((instance[key] as AttributeInstance[] | undefined) ?? [], value as AttributeInstance[], now);
    if (merged.length === 0) delete out[key];
    else out[key] = merged;
  }
  if (out.type !== instance.type) return { ...patch, createdAt: instance.createdAt };
  return out;
}

/** An instance whose value is NGSI-LD null: in a merge or update, one to delete. */
export function isNgsiLdNull(instance: AttributeInstance): boolean {
  return [instance.value, instance.object, instance.vocab, instance.json].includes(NGSI_LD_NULL) ||
    instance.languageMap?.['@none'] === NGSI_LD_NULL;
}
