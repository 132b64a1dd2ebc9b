import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from 'graphql';

/*
 * What the depth and cost measures share: following a selection set through inline fragments and
 * named fragments, with each field's definition and the type its selection is on. Measures of a
 * named fragment are memoised by name (its type condition fixes its meaning), so that a fragment
 * spread many times, or fragments spreading each other in a chain, cost one visit each; a spread
 * that would loop (refused by graphql's NoFragmentCycles rule, which runs beside ours) counts nothing.
 */

export type FragmentMap = ReadonlyMap<string, FragmentDefinitionNode>;

/** The definition of a field selected on a type, meta fields included; undefined for unknown fields (refused by graphql's own rules). */
export function fieldDefinition(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, field: FieldNode): GraphQLField<unknown, unknown> | undefined {
  const name = field.name.value;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** The type a field's selection set is on. */
export function selectionType(definition: GraphQLField<unknown, unknown> | undefined): GraphQLNamedType | undefined {
  return definition ? getNamedType(definition.type) : undefined;
}

export interface SelectionMeasure<T> {
  /** The measure of one field, given the measure of its own selection set (`empty` for a leaf). */
  field(field: FieldNode, parent: GraphQLNamedType | undefined, definition: GraphQLField<unknown, unknown> | undefined, inner: T): T;
  /** Combines the measures of the selections of one selection set: `fields` (and fragments on the same type) and `alternatives` (fragments on other types). */
  combine(fields: readonly T[], alternatives: readonly T[]): T;
  readonly empty: T;
}

/** Measures selection sets with `measure`, memoising named fragments. */
export class SelectionWalk<T> {
  private readonly memo = new Map<string, T>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: (name: string) => FragmentDefinitionNode | undefined,
    private readonly measure: SelectionMeasure<T>,
  ) {}

  of(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): T {
    const fields: T[] = [];
    const alternatives: T[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fieldDefinition(this.schema, parent, selection);
        const inner = selection.selectionSet ? this.of(selection.selectionSet, selectionType(definition)) : this.measure.empty;
        fields.push(this.measure.field(selection, parent, definition, inner));
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.fragments(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : parent;
      const value = selection.kind === Kind.INLINE_FRAGMENT ? this.of(selection.selectionSet, condition) : this.named(selection.name.value, fragment.selectionSet, condition);
      // A fragment on another (narrower) type applies to some objects only: one of them at a time.
      (condition === parent ? fields : alternatives).push(value);
    }
    return this.measure.combine(fields, alternatives);
  }

  private named(name: string, selectionSet: SelectionSetNode, condition: GraphQLNamedType | undefined): T {
    const known = this.memo.get(name);
    if (known !== undefined) return known;
    if (this.visiting.has(name)) return this.measure.empty;
    this.visiting.add(name);
    const value = this.of(selectionSet, condition);
    this.visiting.delete(name);
    this.memo.set(name, value);
    return value;
  }
}
