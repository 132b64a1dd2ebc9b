import { Injectable } from '@nestjs/common';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { DataModel } from 'src/models/data-model';
import { jsonSchemaOf, validatedForm, ValidatedEntity, ValidationMode } from 'src/models/json-schema';

/** At most this many violations are named in one refusal; the first ones say enough. */
const MAX_NAMED = 3;

/**
 * Validates entities against data models with JSON Schemas derived from them, compiled once per
 * model and mode (ajv compiles to code; compiling per write would cost more than the write).
 */
@Injectable()
export class ModelValidator {
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
  private readonly compiled = new Map<string, ValidateFunction>();

  /** What is wrong with the entity under the model, one line per violation; empty when nothing is. */
  violations(model: DataModel, entity: ValidatedEntity, mode: ValidationMode): string[] {
    const validate = this.validatorOf(model, mode);
    if (validate(validatedForm(model, entity))) return [];
    return describeErrors(model, validate.errors ?? []);
  }

  /** Refuses (400 BadRequestData) an entity that violates the model, naming the attributes and the rules. */
  assertValid(model: DataModel, entity: ValidatedEntity, mode: ValidationMode): void {
    const found = this.violations(model, entity, mode);
    if (found.length === 0) return;
    const more = found.length > MAX_NAMED ? `; and ${found.length - MAX_NAMED} more` : '';
    throw new BadRequestData(`Entity ${entity.id} does not conform to ${model.name} (${model.schemaUrl}): ${found.slice(0, MAX_NAMED).join('; ')}${more}`);
  }

  private validatorOf(model: DataModel, mode: ValidationMode): ValidateFunction {
    const key = `${model.name}|${mode}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(jsonSchemaOf(model, mode));
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** Ajv's errors as `attribute: rule (Model)`, once per attribute and rule, without the branching noise of if/then. */
export function describeErrors(model: DataModel, errors: readonly ErrorObject[]): string[] {
  const names = new Map(model.attributes.map((a) => [a.iri, a.name]));
  const lines = errors
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      const [, top, iri] = error.instancePath.split('/').map(unescapePointer);
      if (top === 'types' || error.params.missingProperty === 'types') return `type: must include ${model.name} (${model.typeIri})`;
      if (error.keyword === 'required' && top === 'attributes') {
        const missing = String(error.params.missingProperty);
        return `${names.get(missing) ?? missing}: is required`;
      }
      const name = top === 'attributes' && iri ? (names.get(iri) ?? iri) : top || 'entity';
      return `${name}: ${ruleOf(error)} (${model.name})`;
    });
  return [...new Set(lines)];
}

function ruleOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const type = String(params.type);
      return `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type.replace(',', ' or ')}`;
    }
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be a ${String(params.allowedValue)}`;
    case 'minimum':
    case 'maximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'format':
      return `must be a ${String(params.format)}`;
    case 'pattern':
      return 'must be an absolute URI';
    case 'required':
      return `must have "${String(params.missingProperty)}"`;
    default:
      return error.message ?? error.keyword;
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
