// Most suites here start the whole admin API (Nest, Apollo, SQLite) in beforeAll: a few seconds on a
// busy 2-core CI machine, over Jest's 5 s once (graphql-gate.spec.ts, 2026-12-07). Hangs still fail.
jest.setTimeout(20_000);
