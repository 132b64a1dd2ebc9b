import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { DatasetPolicyFacts } from 'src/governance/governance-snapshot';
import { DataModel } from 'src/models/data-model';
import { ValidatedEntity, ValidationMode } from 'src/models/json-schema';
import { ModelRegistry } from 'src/models/model-registry';
import { ModelValidator } from 'src/models/model-validator';

/** An entity as the write path holds it (expanded), for conformance checks. */
export type WrittenEntity = ValidatedEntity;

/**
 * Whether writes into a dataset conform to the data model it declares (`conformsTo`). A dataset
 * without one accepts anything, as before models existed. Asked by every write path (NGSI-LD
 * writes through entity placement, MQTT ingest) with the governance snapshot the write runs under,
 * so no query is needed.
 */
@Injectable()
export class ModelConformance {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly validator: ModelValidator,
  ) {}

  /** The model a dataset declares, if any (one whose model left the registry declares none). */
  modelOf(datasets: ReadonlyMap<string, DatasetPolicyFacts>, datasetId: string | undefined): DataModel | undefined {
    const conformsTo = datasetId === undefined ? undefined : datasets.get(datasetId)?.conformsTo;
    return conformsTo ? this.registry.bySchemaUrl(conformsTo) : undefined;
  }

  /** The refusal of a new entity (or a whole replacement) that violates its dataset's model. */
  refuseNew(datasets: ReadonlyMap<string, DatasetPolicyFacts>, datasetId: string | undefined, entity: WrittenEntity): BadRequestData | undefined {
    return this.refusal(datasets, datasetId, entity, 'create');
  }

  /**
   * The refusal of a change: only the attributes it wrote (added or changed) are checked, so an
   * entity that met the model when written is not refused for attributes nobody touched, and a
   * partial update need not bring the attributes the model requires.
   */
  refuseChange(
    datasets: ReadonlyMap<string, DatasetPolicyFacts>,
    datasetId: string | undefined,
    current: WrittenEntity,
    next: WrittenEntity,
  ): BadRequestData | undefined {
    const written = Object.fromEntries(Object.entries(next.attributes).filter(([iri, instances]) => !isDeepStrictEqual(current.attributes[iri], instances)));
    return this.refusal(datasets, datasetId, { ...next, attributes: written }, 'change');
  }

  /** What is wrong with written values (by attribute IRI) under the dataset's model, as one line; undefined when nothing is. */
  violationOf(datasets: ReadonlyMap<string, DatasetPolicyFacts>, datasetId: string, entity: WrittenEntity): string | undefined {
    const model = this.modelOf(datasets, datasetId);
    if (!model) return undefined;
    const found = this.validator.violations(model, entity, 'change');
    return found.length === 0 ? undefined : `does not conform to ${model.name}: ${found.join('; ')}`;
  }

  private refusal(datasets: ReadonlyMap<string, DatasetPolicyFacts>, datasetId: string | undefined, entity: WrittenEntity, mode: ValidationMode): BadRequestData | undefined {
    const model = this.modelOf(datasets, datasetId);
    return model && this.validator.refusal(model, entity, mode);
  }
}
