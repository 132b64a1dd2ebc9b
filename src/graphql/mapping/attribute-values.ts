import { ModelAttribute, ValueType } from 'src/models/data-model';
import { AttributeInstance, VALUE_MEMBER } from 'src/ngsi-ld/representation/entity.model';

/** The JSON value an instance carries, whatever its kind (a typed literal's `@value` unwrapped). */
export function rawValueOf(instance: AttributeInstance): unknown {
  const value = instance[VALUE_MEMBER[instance.type] ?? 'value'];
  if (instance.type === 'LanguageProperty' && value && typeof value === 'object') {
    const map = value as Record<string, string | string[]>;
    return map.sv ?? map.en ?? map['@none'] ?? Object.values(map)[0];
  }
  return unwrap(value);
}

function unwrap(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && '@value' in value) return (value as { '@value': unknown })['@value'];
  return value;
}

/**
 * An instance's value as the model's GraphQL field types it, or null when the stored value does
 * not fit (possible only in datasets that declare no model; `attributes` shows it as stored).
 */
export function typedValueOf(attribute: Pick<ModelAttribute, 'valueType' | 'itemType' | 'kind' | 'alsoValueTypes'>, instance: AttributeInstance): unknown {
  if (attribute.kind === 'Relationship') return typeof instance.object === 'string' ? instance.object : null;
  const value = rawValueOf(instance);
  if (attribute.alsoValueTypes?.length) return value ?? null;
  if (attribute.valueType === 'array') {
    if (!Array.isArray(value)) return null;
    const itemType = attribute.itemType;
    if (!itemType || itemType === 'object' || itemType === 'geometry') return value;
    const items = value.map((item) => fitted(itemType, unwrap(item)));
    return items.some((item) => item === null) ? null : items;
  }
  return fitted(attribute.valueType, value);
}

function fitted(type: ValueType, value: unknown): unknown {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'integer':
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1 ? value : null;
    case 'string':
    case 'uri':
      return typeof value === 'string' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'dateTime': {
      const time = typeof value === 'string' ? new Date(value) : undefined;
      return time && !Number.isNaN(time.getTime()) ? time.toISOString() : null;
    }
    case 'geometry':
      return value && typeof value === 'object' && 'type' in value ? value : null;
    default:
      return value ?? null;
  }
}
