import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { DataModel } from 'src/models/data-model';

/** The @context a model's terms are read under (its attribute names and its type); undefined without a model (the core context). */
function modelContextOf(model: DataModel | undefined): Record<string, string> | undefined {
  if (!model) return undefined;
  return Object.fromEntries([[model.name, model.typeIri], ...model.attributes.map((attribute) => [attribute.name, attribute.iri])]);
}

/** Each model's @context, and the core one for entities without a model, compiled once at start-up rather than per request. */
export type ModelContexts = (model: DataModel | undefined) => RequestContext;

export async function compileModelContexts(compiler: ContextCompiler, models: readonly DataModel[]): Promise<ModelContexts> {
  const core = await compiler.compile(undefined);
  const compiled = new Map(await Promise.all(models.map(async (model) => [model, await compiler.compile(modelContextOf(model))] as const)));
  return (model) => (model && compiled.get(model)) || core;
}
