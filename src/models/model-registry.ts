import { Injectable } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ONTOLOGIES_DIR } from 'src/jsonld/core-contexts';
import { DataModel } from 'src/models/data-model';
import { modelDescriptionSchema } from 'src/models/model-description.schema';

/** Where the model descriptions live, from `src/` and `dist/` alike. */
export const MODELS_DIR = join(ONTOLOGIES_DIR, 'models');

/** A model description that does not hold together; start-up stops listing every one. */
export class InvalidModelDescriptions extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid data-model descriptions in ${MODELS_DIR}:\n  ${problems.join('\n  ')}`);
  }
}

/** Reads and checks every description in `dir`; throws listing all problems at once. */
export function loadModels(dir = MODELS_DIR): DataModel[] {
  const problems: string[] = [];
  const models: DataModel[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = modelDescriptionSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`));
      continue;
    }
    if (`${parsed.data.name}.json` !== file) problems.push(`${file}: describes ${parsed.data.name}; the file is named after the model`);
    models.push(parsed.data);
  }
  const seen = new Map<string, string>();
  for (const model of models) {
    for (const key of [model.name, model.typeIri, model.schemaUrl]) {
      if (seen.has(key)) problems.push(`${model.name}: ${key} is ${seen.get(key)}'s too`);
      seen.set(key, model.name);
    }
  }
  if (problems.length > 0) throw new InvalidModelDescriptions(problems);
  return models;
}

/**
 * The data models the service knows (MIM2), loaded once at start-up from `ontologies/models/`.
 * Datasets name one in `conformsTo` (by name, type IRI or schema URL); writes into them are
 * validated against it, and its context URLs are answered from here.
 */
@Injectable()
export class ModelRegistry {
  private readonly models: readonly DataModel[];
  private readonly byKey = new Map<string, DataModel>();
  private readonly contexts = new Map<string, { '@context': Record<string, string> }>();

  constructor() {
    this.models = Object.freeze(loadModels());
    for (const model of this.models) {
      for (const key of [model.name, model.typeIri, model.schemaUrl]) this.byKey.set(key, model);
    }
    for (const url of new Set(this.models.flatMap((m) => m.contextUrls))) this.contexts.set(url, this.buildContext(url));
  }

  all(): readonly DataModel[] {
    return this.models;
  }

  byName(name: string): DataModel | undefined {
    return this.models.find((model) => model.name === name);
  }

  byTypeIri(iri: string): DataModel | undefined {
    return this.models.find((model) => model.typeIri === iri);
  }

  bySchemaUrl(url: string): DataModel | undefined {
    return this.models.find((model) => model.schemaUrl === url);
  }

  /** The model a `conformsTo` value names: its name, its type IRI or its schema URL. */
  resolve(conformsTo: string): DataModel | undefined {
    return this.byKey.get(conformsTo.trim());
  }

  /**
   * The JSON-LD context answered for a registered context URL, generated from every model that
   * names it: the type term and the attribute terms. `id` and `type` are left to the core context
   * (which comes last and is protected anyway).
   */
  contextDocument(url: string): { '@context': Record<string, string> } | undefined {
    return this.contexts.get(url);
  }

  private buildContext(url: string): { '@context': Record<string, string> } {
    const terms: Record<string, string> = {};
    for (const model of this.models.filter((m) => m.contextUrls.includes(url))) {
      terms[model.name] = model.typeIri;
      for (const attribute of model.attributes) terms[attribute.name] = attribute.iri;
    }
    return { '@context': Object.fromEntries(Object.entries(terms).sort(([a], [b]) => a.localeCompare(b))) };
  }
}
