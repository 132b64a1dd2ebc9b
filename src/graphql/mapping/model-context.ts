import { DataModel } from 'src/models/data-model';

/** The @context a model's terms are read under (its attribute names and its type); undefined without a model (the core context). */
export function modelContextOf(model: DataModel | undefined): Record<string, string> | undefined {
  if (!model) return undefined;
  return Object.fromEntries([[model.name, model.typeIri], ...model.attributes.map((attribute) => [attribute.name, attribute.iri])]);
}
