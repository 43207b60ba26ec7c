import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** What a field under a list costs per field: a list is priced as if it held this many items. */
export const LIST_COST_FACTOR = 10;

export interface DocumentMeasure {
  /** Aliases written in the document (operations and fragments). */
  aliases: number;
  /**
   * The most fields written for one response path of an operation or fragment (`{ me { id } me { id } }`:
   * 2 for `me` and for `me.id`), inline fragments merged. graphql-js compares such fields pairwise
   * while validating, in time quadratic in their number.
   */
  repeats: number;
  /** The deepest field nesting of any operation, fragments expanded. */
  depth: number;
  /** The highest cost of any operation, fragments expanded. */
  cost: number;
}

interface SelectionMeasure {
  depth: number;
  cost: number;
}

const NOTHING: SelectionMeasure = { depth: 0, cost: 0 };

/**
 * Measures a parsed, not yet validated document in one pass over it: no part is walked twice,
 * whatever the fragments (each is measured once and its measure reused at every spread), so a
 * document that spreads fragments into one another costs no more to measure than to parse.
 *
 * Cost: every field selected costs 1; what a list field selects costs LIST_COST_FACTOR times,
 * nested lists multiply (`{ teams { members { id } } }` is 1 + 10 × (1 + 10 × 1) = 111). Unknown
 * fields and types (validation refuses them later) count as single objects; a fragment cycle
 * (refused later too) counts nothing the second time round.
 */
export function measureDocument(document: DocumentNode, schema: GraphQLSchema): DocumentMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, SelectionMeasure>();
  const inProgress = new Set<string>();

  const fragmentMeasure = (name: string): SelectionMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const measure = selectionSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
    inProgress.delete(name);
    measured.set(name, measure);
    return measure;
  };

  const selectionSet = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): SelectionMeasure => {
    let depth = 0;
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const type = fieldType(parent, selection.name.value);
        const below = selection.selectionSet
          ? selectionSet(selection.selectionSet, type && getNamedType(type))
          : NOTHING;
        const items = type && isListType(getNullableType(type)) ? LIST_COST_FACTOR : 1;
        depth = Math.max(depth, 1 + below.depth);
        cost += 1 + items * below.cost;
      } else {
        const below =
          selection.kind === Kind.FRAGMENT_SPREAD
            ? fragmentMeasure(selection.name.value)
            : selectionSet(
                selection.selectionSet,
                selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent,
              );
        depth = Math.max(depth, below.depth);
        cost += below.cost;
      }
    }
    return { depth, cost };
  };

  let aliases = 0;
  let repeats = 0;
  let depth = 0;
  let cost = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      const measure = selectionSet(definition.selectionSet, schema.getRootType(definition.operation) ?? undefined);
      depth = Math.max(depth, measure.depth);
      cost = Math.max(cost, measure.cost);
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) {
      aliases += countAliases(definition.selectionSet);
      repeats = Math.max(repeats, mostRepeated(definition.selectionSet));
    }
  }
  return { aliases, repeats, depth, cost };
}

function fieldType(parent: GraphQLNamedType | null | undefined, name: string) {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  return parent.getFields()[name]?.type;
}

function countAliases(set: SelectionSetNode): number {
  let aliases = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD && selection.alias) aliases++;
    if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet)
      aliases += countAliases(selection.selectionSet);
  }
  return aliases;
}

/** The most fields written for one response path in this selection set and below (spreads not followed). */
function mostRepeated(root: SelectionSetNode): number {
  const paths = new Map<string, { id: number; fields: number }>();
  let most = 0;
  const walk = (set: SelectionSetNode, parentId: number): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = `${parentId}:${selection.alias?.value ?? selection.name.value}`;
        const path = paths.get(key) ?? { id: paths.size + 1, fields: 0 };
        paths.set(key, path);
        most = Math.max(most, ++path.fields);
        if (selection.selectionSet) walk(selection.selectionSet, path.id);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, parentId);
      }
    }
  };
  walk(root, 0);
  return most;
}
