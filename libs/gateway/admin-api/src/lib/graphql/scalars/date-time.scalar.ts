import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** An ISO 8601 date and time with a zone (Z or ±hh:mm), as JSON and the console send them. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function parse(value: unknown): Date {
  const date = typeof value === 'string' && ISO_DATE_TIME.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO 8601 date and time with a zone, such as 2026-12-04T09:54:33Z.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

/**
 * The `DateTime` scalar, strict: @nestjs/graphql's GraphQLISODateTime turns any input into a
 * Date, an invalid one included ("abc" became Invalid Date and failed later, as an internal error;
 * found by the GraphQL fuzzing e2e). Same name and description, so the schema does not change.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  serialize: (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null),
});
