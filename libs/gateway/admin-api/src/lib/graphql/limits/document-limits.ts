/** What a GraphQL document may hold before the admin API parses it fully, validates or runs it. */
export interface DocumentLimits {
  /** Lexical tokens (names, punctuation, values; comments are free), counted while parsing. */
  maxTokens: number;
  /** Aliases written in the document, fragments included. */
  maxAliases: number;
  /** Fields written for one response path (`{ me { id } me { id } }` has 2), which validation compares pairwise. */
  maxRepeatedFields: number;
  /** Nesting of fields in one operation, fragments expanded: `{ me { id } }` is 2. */
  maxDepth: number;
  /** Fields one operation selects, fragments expanded, each list multiplying what is under it (see measureDocument). */
  maxCost: number;
}

export type DocumentLimitName = 'tokens' | 'aliases' | 'repeatedFields' | 'depth' | 'cost';

/** A limit a document is over, and by how much. */
export interface DocumentOverLimit {
  limit: DocumentLimitName;
  max: number;
  /** What the document has; for tokens, the count where parsing stopped (max + 1). */
  actual: number;
}

/**
 * The defaults: three to eight times what the largest operation of the schema needs (every field
 * of every query in one document: 233 tokens, depth 3, cost 2,791; document-limits.spec.ts keeps
 * the margin), and far below what holds the process up: 2,000 tokens parse in about a millisecond.
 */
export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxTokens: 2_000,
  maxAliases: 50,
  // Rarely more than 2 in a real operation; 500 (3.5 kB) kept graphql-js busy for most of a second.
  maxRepeatedFields: 10,
  maxDepth: 10,
  maxCost: 10_000,
};
