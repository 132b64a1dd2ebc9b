import { DataModel } from 'src/models/data-model';

/** The @context a model's terms are read under: its type and its attribute names. */
export function modelContextOf(model: DataModel): Record<string, string> {
  return Object.fromEntries([[model.name, model.typeIri], ...model.attributes.map((attribute) => [attribute.name, attribute.iri])]);
}
