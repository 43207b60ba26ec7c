import { GraphQLError, Lexer, parse, Source, TokenKind, type GraphQLSchema } from 'graphql';
import type { DocumentLimits, DocumentOverLimit } from './document-limits';
import { measureDocument } from './measure-document';

/**
 * The first limit a document is over, or undefined when it is within all of them (or is no valid
 * document at all: its syntax error is left for the GraphQL server to report, as it always does).
 * Parsing stops at `maxTokens`, so no document costs more than that to look at.
 */
export function checkDocument(
  source: string,
  limits: DocumentLimits,
  schema: GraphQLSchema,
): DocumentOverLimit | undefined {
  let document;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const tokens = countTokens(source, limits.maxTokens);
    return tokens > limits.maxTokens ? { limit: 'tokens', max: limits.maxTokens, actual: tokens } : undefined;
  }
  const { aliases, repeats, depth, cost } = measureDocument(document, schema);
  if (aliases > limits.maxAliases) return { limit: 'aliases', max: limits.maxAliases, actual: aliases };
  if (repeats > limits.maxRepeatedFields) {
    return { limit: 'repeatedFields', max: limits.maxRepeatedFields, actual: repeats };
  }
  if (depth > limits.maxDepth) return { limit: 'depth', max: limits.maxDepth, actual: depth };
  if (cost > limits.maxCost) return { limit: 'cost', max: limits.maxCost, actual: cost };
  return undefined;
}

/** Tokens as graphql-js's parser counts them (comments excluded), up to one past `stopAbove`. */
export function countTokens(source: string, stopAbove: number): number {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  try {
    while (tokens <= stopAbove && lexer.advance().kind !== TokenKind.EOF) tokens++;
  } catch {
    // A character the lexer refuses: the syntax error is the GraphQL server's to report.
  }
  return tokens;
}
