import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

/** A JSON object as it is (a role rule's conditions, an audit event's changes). */
export const JSONObject = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object, such as MongoDB-style rule conditions: { "userId": "${user.id}" }.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new GraphQLError('JSONObject: must be an object');
    }
    return value;
  },
  parseLiteral: (ast, variables) => {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('JSONObject: must be an object');
    return valueFromASTUntyped(ast, variables);
  },
});
