import { buildSchema, parse } from 'graphql';
import { LIST_COST_FACTOR, measureDocument } from './measure-document';

const schema = buildSchema(`
  type Query { me: User!  users: [User!]!  teams: [Team!]  node(id: ID!): User }
  type Mutation { rename(name: String!): User! }
  type User { id: ID!  name: String  friends: [User!]! }
  type Team { id: ID!  members: [User!]! }
`);

const measure = (source: string) => measureDocument(parse(source), schema);

describe(measureDocument.name, () => {
  it('prices a field at 1 and what a list selects LIST_COST_FACTOR times, nested lists multiplying', () => {
    expect(LIST_COST_FACTOR).toBe(10);
    expect(measure('{ me { id name } }')).toEqual({ aliases: 0, repeats: 1, depth: 2, cost: 3 });
    expect(measure('{ users { id } }')).toEqual({ aliases: 0, repeats: 1, depth: 2, cost: 1 + 10 * 1 });
    expect(measure('{ teams { members { id } } }')).toEqual({
      aliases: 0,
      repeats: 1,
      depth: 3,
      cost: 1 + 10 * (1 + 10 * 1),
    });
    // A list of scalars selects nothing: the field alone.
    expect(measure('{ __typename me { __typename } }').cost).toBe(3);
  });

  it('counts every alias written, in operations and fragments', () => {
    expect(measure('{ a: me { id } b: me { x: id } } fragment F on User { y: id z: name }').aliases).toBe(5);
    const many = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(measure(many)).toEqual({ aliases: 300, repeats: 1, depth: 1, cost: 300 });
  });

  it('counts the fields written for one response path, inline fragments merged, spreads apart', () => {
    expect(measure('{ me { id } me { id name } }').repeats).toBe(2);
    expect(measure('{ me { id } ... on Query { me { id } } a: me { id } }').repeats).toBe(2);
    expect(measure(`{ ${'me { friends { id } } '.repeat(5)} }`).repeats).toBe(5);
    expect(measure('{ me { friends { id id } } users { id id id } } fragment F on User { id id id id }').repeats).toBe(
      4,
    );
    expect(measure('{ me { ...F ...F ...F } } fragment F on User { id }').repeats).toBe(1);
  });

  it('expands fragments and inline fragments for depth and cost', () => {
    const document = `
      query { users { ...UserFields } me { ... on User { friends { id } } } }
      fragment UserFields on User { id friends { ...Leaf } }
      fragment Leaf on User { id name }
    `;
    // users: 1 + 10 × (id 1 + friends (1 + 10 × 2)) = 221; me: 1 + friends (1 + 10 × 1) = 12.
    expect(measure(document)).toEqual({ aliases: 0, repeats: 1, depth: 3, cost: 221 + 12 });
  });

  it('measures a fragment once however often it is spread, so fragment bombs are cheap to measure', () => {
    // Each level spreads the one below it ten times: 10^20 fields once expanded.
    const levels = Array.from(
      { length: 20 },
      (_, i) => `fragment L${i} on User { ${Array.from({ length: 10 }, () => `...L${i + 1}`).join(' ')} }`,
    );
    const document = `{ me { ...L0 } } ${levels.join('\n')} fragment L20 on User { id }`;
    // A walk that expanded the spreads would not finish within the test's timeout.
    expect(measure(document).cost).toBeGreaterThanOrEqual(1e20);
  });

  it('takes the deepest and dearest operation of the document', () => {
    expect(
      measure('query A { me { id } } query B { users { friends { id } } } mutation C { rename(name: "x") { id } }'),
    ).toEqual({
      aliases: 0,
      repeats: 1,
      depth: 3,
      cost: 1 + 10 * (1 + 10 * 1),
    });
  });

  it('counts what validation will refuse without failing on it: unknown fields and types, fragment cycles', () => {
    expect(measure('{ nope { deeper { deepest } } }')).toEqual({ aliases: 0, repeats: 1, depth: 3, cost: 3 });
    expect(measure('{ me { ... on Nope { id } ...Missing } }')).toEqual({ aliases: 0, repeats: 1, depth: 2, cost: 2 });
    expect(measure('{ me { ...A } } fragment A on User { id ...B } fragment B on User { name ...A }')).toEqual({
      aliases: 0,
      repeats: 1,
      depth: 2,
      cost: 3,
    });
  });
});
