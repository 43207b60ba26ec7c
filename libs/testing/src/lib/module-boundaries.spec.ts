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
}

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
    const violations = sourceFiles(join(ROOT, rule.files)).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => rule.forbidden.test(specifier))
        .map((specifier) => `${relative(ROOT, file)} imports '${specifier}'`),
    );
    expect(violations).toEqual([]);
  });

  it('finds imports at all (the check itself works)', () => {
    const specifiers = importsOf(join(ROOT, 'libs/shared/routing/src/index.ts'));
    expect(specifiers.length).toBeGreaterThan(5);
  });
});
