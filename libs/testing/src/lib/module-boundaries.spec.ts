import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * The workspace's layering, checked on every test run (there is no lint step that would): framework-free
 * shared libraries, a console that never reaches into the gateway, and libraries used only through
 * their public entry points.
 */
const ROOT = join(__dirname, '../../../..');

interface Rule {
  description: string;
  files: string;
  forbidden: RegExp;
  /** Files the rule does not apply to. */
  except?: RegExp;
}

/**
 * Test code: specs, and whatever sits in a `testing` folder or entry point (test doubles, test apps,
 * the contract suite, the `@synapse/testing` library). Everything else ships in the gateway.
 */
const TEST_CODE = /\.(spec|e2e-spec)\.ts$|(^|\/)testing(\/|\.ts$)|^apps\/gateway-e2e\//;

const RULES: Rule[] = [
  {
    description: 'shared libraries use no framework, driver or gateway code',
    files: 'libs/shared',
    forbidden: /^(@nestjs\/|@angular\/|fastify|typeorm|ioredis|pg$|better-sqlite3|@synapse\/gateway)/,
  },
  {
    description: 'the console never imports gateway or server code',
    files: 'apps/admin/src',
    forbidden: /^(@synapse\/gateway|@nestjs\/|typeorm|ioredis)/,
  },
  {
    description: 'libraries never import from apps',
    files: 'libs',
    forbidden: /(^|\/)apps\//,
  },
  {
    description: 'other libraries are imported through their entry point, never by deep path',
    files: 'libs',
    forbidden: /^@synapse\/.*\/src\/|^(\.\.\/){3,}libs\//,
  },
  {
    description: 'production code imports no test code (testing entry points, test doubles, test apps)',
    files: 'libs',
    except: TEST_CODE,
    forbidden: /(^|\/)testing(\/|$)/,
  },
  {
    description: 'the gateway app imports no test code',
    files: 'apps/gateway/src',
    except: TEST_CODE,
    forbidden: /(^|\/)testing(\/|$)/,
  },
];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.ts$/.test(entry)) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

describe('module boundaries', () => {
  it.each(RULES.map((rule) => [rule.description, rule] as const))('%s', (_description, rule) => {
    const files = sourceFiles(join(ROOT, rule.files)).filter((file) => !rule.except?.test(relative(ROOT, file)));
    const violations = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => rule.forbidden.test(specifier))
        .map((specifier) => `${relative(ROOT, file)} imports '${specifier}'`),
    );
    expect(violations).toEqual([]);
  });

  it('tells test code from production code', () => {
    const testCode = [
      'libs/gateway/persistence/src/testing.ts',
      'libs/gateway/persistence/src/lib/testing/memory/in-memory-user.repository.ts',
      'libs/gateway/admin-api/src/lib/keys/gateway-keys.service.spec.ts',
      'libs/testing/src/lib/mock-upstream.ts',
    ];
    const production = [
      'libs/gateway/persistence/src/index.ts',
      'libs/gateway/auth/src/lib/login/login.service.ts',
      'libs/gateway/admin-api/src/lib/testing-ground.ts',
    ];
    expect(testCode.filter((file) => !TEST_CODE.test(file))).toEqual([]);
    expect(production.filter((file) => TEST_CODE.test(file))).toEqual([]);
  });

  it('finds imports at all (the check itself works)', () => {
    const specifiers = importsOf(join(ROOT, 'libs/shared/routing/src/index.ts'));
    expect(specifiers.length).toBeGreaterThan(5);
  });
});
