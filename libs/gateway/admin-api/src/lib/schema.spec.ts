import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startAdminApiTestApp, type AdminApiTestApp } from './testing/admin-api-test-app';

const SCHEMA_FILE = resolve(__dirname, '../../../../../apps/gateway/schema.gql');
const HEADER = `# The admin API's GraphQL schema, generated from the resolvers in libs/gateway/admin-api.
# Do not edit: after changing the API, regenerate it with
#   UPDATE_SCHEMA=1 npx jest -c libs/gateway/admin-api/jest.config.cts schema
`;

/** The workspace's Prettier, in a child process: Prettier 3 loads its plugins with import(), which Jest refuses. */
function prettier(sdl: string): string {
  return execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', SCHEMA_FILE],
    {
      input: sdl,
      encoding: 'utf8',
    },
  );
}

/**
 * The gateway builds its schema in memory at start; this file is the committed copy, so that
 * reviews show API changes and the console can generate typed operations from it.
 */
describe('apps/gateway/schema.gql', () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  it('matches the schema the gateway serves', async () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const sdl = prettier(`${HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`);
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(SCHEMA_FILE, sdl);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    if (committed !== sdl) {
      throw new Error(
        'apps/gateway/schema.gql is out of date: run UPDATE_SCHEMA=1 npx jest -c libs/gateway/admin-api/jest.config.cts schema',
      );
    }
    // A password may be given (an input), never read back (an output type).
    const outputTypes = committed.split(/\n(?=\S)/).filter((block) => /^type /.test(block));
    expect(outputTypes.join('\n')).not.toMatch(/^\s*password\w*\s*:/im);
    expect(committed).toMatch(/^input CreateUserInput \{[^}]*\bpassword: String\b/m);
  });
});
