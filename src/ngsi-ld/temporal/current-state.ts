import { isDeepStrictEqual } from 'node:util';
import { AttributeInstance, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { TemporalInstance } from 'src/ngsi-ld/representation/entity-expander';

/**
 * The current state of an entity after instances arrive for its history (temporal API, devices):
 * each attribute (per NGSI-LD datasetId) takes the newest arriving instance, unless the one it
 * holds is newer. A late measurement fills in history without turning the clock back, and one
 * that is already the current value leaves it (and its modifiedAt) alone. Returns undefined when
 * nothing changes.
 */
export function advanceCurrentState(entity: EntityData, arriving: readonly TemporalInstance[], now: string): EntityData | undefined {
  const newest = new Map<string, TemporalInstance>();
  for (const item of arriving) {
    const key = `${item.attribute}\u0000${item.instance.datasetId ?? ''}`;
    const seen = newest.get(key);
    if (!seen || timeOf(item.instance) >= timeOf(seen.instance)) newest.set(key, item);
  }
  const attributes = { ...entity.attributes };
  let changed = false;
  for (const { attribute, instance } of newest.values()) {
    const instances = attributes[attribute] ?? [];
    const index = instances.findIndex((held) => held.datasetId === instance.datasetId);
    const held = index >= 0 ? instances[index] : undefined;
    if (held && (timeOf(held) > timeOf(instance) || sameContent(held, instance))) continue;
    const next: AttributeInstance = { ...instance, createdAt: held?.createdAt ?? now, modifiedAt: now };
    delete next.instanceId;
    attributes[attribute] = index >= 0 ? instances.map((old, i) => (i === index ? next : old)) : [...instances, next];
    changed = true;
  }
  return changed ? { ...entity, attributes } : undefined;
}

/** The same value, observedAt, datasetId and so on: a write of it again (a retry) changes nothing. */
function sameContent(held: AttributeInstance, arriving: AttributeInstance): boolean {
  const { createdAt: _c, modifiedAt: _m, instanceId: _i, ...heldContent } = held;
  const { createdAt: _ac, modifiedAt: _am, instanceId: _ai, ...arrivingContent } = arriving;
  return isDeepStrictEqual(heldContent, arrivingContent);
}

/** When an instance holds: observedAt, else when it was written. */
function timeOf(instance: AttributeInstance): number {
  return Date.parse(instance.observedAt ?? instance.modifiedAt ?? '1970-01-01T00:00:00Z');
}
