import {
  buildSchema,
  getNamedType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { countTokens } from './check-document';
import { DEFAULT_DOCUMENT_LIMITS } from './document-limits';
import { measureDocument } from './measure-document';

/** The committed schema, which schema.spec.ts keeps equal to the one the gateway serves. */
const SCHEMA = buildSchema(readFileSync(resolve(__dirname, '../../../../../../../apps/gateway/schema.gql'), 'utf8'));

/** A placeholder argument for each required argument without a default. */
function args(field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  if (required.length === 0) return '';
  const value = (typeName: string) =>
    typeName === 'Int' || typeName === 'Float' ? '1' : typeName === 'Boolean' ? 'true' : '"x"';
  return `(${required.map((arg) => `${arg.name}: ${value(getNamedType(arg.type).name)}`).join(', ')})`;
}

/** Every field of the type and, recursively, of the objects under it. */
function everything(type: GraphQLObjectType): string {
  return Object.values(type.getFields())
    .map((field) => {
      const named = getNamedType(field.type);
      return isObjectType(named)
        ? `${field.name}${args(field)} { ${everything(named)} }`
        : `${field.name}${args(field)}`;
    })
    .join(' ');
}

/** One document that reads every field of every query: more than any page of the console will ask at once. */
function everyQueryAtOnce(schema: GraphQLSchema): string {
  return `query Everything { ${everything(schema.getQueryType() as GraphQLObjectType)} }`;
}

describe('DEFAULT_DOCUMENT_LIMITS', () => {
  it('let one document read every field of every query at once', () => {
    const document = everyQueryAtOnce(SCHEMA);
    const { aliases, repeats, depth, cost } = measureDocument(parse(document), SCHEMA);
    expect(countTokens(document, Infinity)).toBeLessThanOrEqual(DEFAULT_DOCUMENT_LIMITS.maxTokens);
    expect(depth).toBeLessThanOrEqual(DEFAULT_DOCUMENT_LIMITS.maxDepth);
    expect(cost).toBeLessThanOrEqual(DEFAULT_DOCUMENT_LIMITS.maxCost);
    expect(aliases).toBe(0);
    expect(repeats).toBe(1);
  });

  it('leave each query, read whole, room to grow (at least three times over)', () => {
    const query = SCHEMA.getQueryType() as GraphQLObjectType;
    for (const field of Object.values(query.getFields())) {
      const named = getNamedType(field.type);
      const selection = isObjectType(named) ? ` { ${everything(named)} }` : '';
      const document = `query One { ${field.name}${args(field)}${selection} }`;
      const { depth, cost } = measureDocument(parse(document), SCHEMA);
      expect({
        field: field.name,
        tokens: countTokens(document, Infinity) * 3 <= DEFAULT_DOCUMENT_LIMITS.maxTokens,
      }).toEqual({
        field: field.name,
        tokens: true,
      });
      expect({ field: field.name, depth: depth * 3 <= DEFAULT_DOCUMENT_LIMITS.maxDepth }).toEqual({
        field: field.name,
        depth: true,
      });
      expect({ field: field.name, cost: cost * 3 <= DEFAULT_DOCUMENT_LIMITS.maxCost }).toEqual({
        field: field.name,
        cost: true,
      });
    }
  });
});
