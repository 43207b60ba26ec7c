import { buildSchema } from 'graphql';
import { checkDocument, countTokens } from './check-document';
import type { DocumentLimits } from './document-limits';

const schema = buildSchema(`
  type Query { me: User!  users: [User!]! }
  type User { id: ID!  name: String  friends: [User!]! }
`);
const LIMITS: DocumentLimits = { maxTokens: 50, maxAliases: 3, maxRepeatedFields: 2, maxDepth: 3, maxCost: 100 };
const check = (source: string, limits = LIMITS) => checkDocument(source, limits, schema);

describe(checkDocument.name, () => {
  it('passes a document within every limit', () => {
    expect(check('query Me { me { id name friends { id } } }')).toBeUndefined();
  });

  it('stops parsing past maxTokens', () => {
    const document = `{ ${'me { id } '.repeat(20)} }`;
    expect(check(document)).toEqual({ limit: 'tokens', max: 50, actual: 51 });
  });

  it('names the limit a document is over, with its measure', () => {
    expect(check('{ a: me { id } b: me { id } c: me { id } d: me { id } }')).toEqual({
      limit: 'aliases',
      max: 3,
      actual: 4,
    });
    expect(check('{ me { id } me { id } me { name } }')).toEqual({ limit: 'repeatedFields', max: 2, actual: 3 });
    expect(check('{ me { friends { friends { friends { id } } } } }')).toEqual({ limit: 'depth', max: 3, actual: 5 });
    expect(check('{ users { friends { id name } } }')).toEqual({
      limit: 'cost',
      max: 100,
      actual: 1 + 10 * (1 + 10 * 2),
    });
  });

  it('leaves a syntax error to the GraphQL server, unless the document is also over maxTokens', () => {
    expect(check('{ me { id }')).toBeUndefined();
    expect(check('{ me { id } } ~')).toBeUndefined();
    expect(check(`{ ${'me '.repeat(60)} ~`)).toMatchObject({ limit: 'tokens' });
  });
});

describe(countTokens.name, () => {
  it('counts tokens as the parser does, comments excluded, and stops one past the limit', () => {
    expect(countTokens('{ me { id } } # a comment { { {', 100)).toBe(6);
    expect(countTokens('query Q($a: Int = 1) { me }', 100)).toBe(13);
    expect(countTokens('{ '.repeat(10_000), 10)).toBe(11);
  });
});
