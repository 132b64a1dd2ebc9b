import { MeasuredValue } from 'src/ingest/measurement';

/** How one payload field becomes one NGSI-LD attribute. */
export interface AttributeMapping {
  /** Member of the payload, a dotted path for nested objects (`object.air.temperature` is `air.temperature`). */
  readonly field: string;
  /** Expanded attribute IRI. */
  readonly attribute: string;
  readonly type: 'number' | 'string' | 'boolean';
  /** UN/CEFACT common code, like CEL. */
  readonly unitCode?: string;
  /** value * scale + offset, for numbers. */
  readonly scale?: number;
  readonly offset?: number;
  /** The declared range, checked after scaling. */
  readonly min?: number;
  readonly max?: number;
}

export type MappingResult =
  | { readonly ok: true; readonly attributes: ReadonlyMap<string, MeasuredValue> }
  | { readonly ok: false; readonly reason: string };

/** Reads a field of a payload; `undefined` when the payload does not have it. */
export type FieldReader = (field: string) => unknown;

const MAX_STRING = 10_000;
/** What PostgreSQL cannot store in text or jsonb: NUL, and UTF-16 surrogates without their pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Maps the fields a payload has to attributes. A payload needs at least one mapped field; any
 * mapped field it has must be of the declared type and inside the declared range, else the whole
 * message is refused (a half-applied reading is worse than none). Refusals name every problem.
 */
export function mapFields(read: FieldReader, mapping: readonly AttributeMapping[]): MappingResult {
  const attributes = new Map<string, MeasuredValue>();
  const problems: string[] = [];
  for (const rule of mapping) {
    const raw = read(rule.field);
    if (raw === undefined || raw === null) continue;
    const mapped = mapValue(raw, rule);
    if (typeof mapped === 'string') problems.push(mapped);
    else attributes.set(rule.attribute, mapped.unitCode === undefined ? { value: mapped.value } : mapped);
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  if (attributes.size === 0) {
    return { ok: false, reason: `the payload has none of the mapped fields (${mapping.map((rule) => rule.field).join(', ')})` };
  }
  return { ok: true, attributes };
}

/** The value of one field, or why it cannot be used. */
function mapValue(raw: unknown, rule: AttributeMapping): MeasuredValue | string {
  if (rule.type === 'number') return mapNumber(raw, rule);
  if (typeof raw !== rule.type) return `${rule.field}: expected a ${rule.type}, got ${describe(raw)}`;
  if (typeof raw === 'string' && raw.length > MAX_STRING) return `${rule.field}: longer than ${MAX_STRING} characters`;
  if (typeof raw === 'string' && UNSTORABLE.test(raw)) return `${rule.field}: contains a NUL character or a broken surrogate pair`;
  return { value: raw as string | boolean, unitCode: rule.unitCode };
}

function mapNumber(raw: unknown, rule: AttributeMapping): MeasuredValue | string {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return `${rule.field}: expected a number, got ${describe(raw)}`;
  // Rounded to 12 significant digits so that 0.1 * 3 reads 0.3, as a person scaling by hand would expect.
  const value = Number((raw * (rule.scale ?? 1) + (rule.offset ?? 0)).toPrecision(12));
  if (!Number.isFinite(value)) return `${rule.field}: ${raw} is out of range once scaled`;
  if (rule.min !== undefined && value < rule.min) return `${rule.field}: ${value} is below the declared minimum ${rule.min}`;
  if (rule.max !== undefined && value > rule.max) return `${rule.field}: ${value} is above the declared maximum ${rule.max}`;
  return { value, unitCode: rule.unitCode };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Reads dotted paths (`air.temperature`) from a JSON object; own members only. */
export function pathReader(root: Record<string, unknown>): FieldReader {
  return (field) => {
    let current: unknown = root;
    for (const member of field.split('.')) {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, member)) return undefined;
      current = (current as Record<string, unknown>)[member];
    }
    return current;
  };
}
