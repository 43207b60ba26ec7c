import { compileCidrs, loadEnv } from '@synapse/gateway/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GATEWAY_NODE_FLAGS } from './gateway-node-flags';

const ROOT = join(__dirname, '../../../..');

interface ComposeService {
  ports?: string[];
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string } | null>;
  ulimits?: Record<string, number | { soft: number; hard: number }>;
}

/*
 * The shipped deployment must not let a caller choose its address (security review, finding 2):
 * the gateway believes X-Forwarded-For only from the console's nginx, and nginx replaces the header.
 */
describe('deployment files', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };
  const { gateway, admin } = compose.services;

  it("trusts exactly the console's fixed address as a proxy", () => {
    const consoleAddress = admin.networks?.['synapse']?.ipv4_address;
    expect(consoleAddress).toBeDefined();
    const env = loadEnv({ TRUSTED_PROXIES: gateway.environment?.['TRUSTED_PROXIES'] });
    expect(env.TRUSTED_PROXIES).toEqual([consoleAddress]);
    const trusted = compileCidrs(env.TRUSTED_PROXIES);
    // Callers of the published gateway port arrive from their own address or the network's gateway.
    expect(trusted('172.28.0.1')).toBe(false);
    expect(trusted(consoleAddress as string)).toBe(true);
  });

  it('writes no core file of a gateway that crashes: its memory holds channel and gateway keys', () => {
    expect(gateway.ulimits?.['core']).toBe(0);
  });

  it("has nginx set X-Forwarded-For to the address it saw, never append the caller's", () => {
    const nginx = readFileSync(join(ROOT, 'docker/admin.nginx.conf'), 'utf8');
    const headers = nginx.match(/proxy_set_header\s+X-Forwarded-For\s+[^;]+;/gi) ?? [];
    expect(headers).toEqual(['proxy_set_header X-Forwarded-For $remote_addr;']);
  });

  it("lets the console's image be pointed at any gateway (SYNAPSE_GATEWAY, default gateway:3088)", () => {
    const nginx = readFileSync(join(ROOT, 'docker/admin.nginx.conf'), 'utf8');
    const dockerfile = readFileSync(join(ROOT, 'docker/admin.Dockerfile'), 'utf8');
    // The image's entrypoint fills only variables set in the environment into templates.
    expect(nginx).toMatch(/^\s*server \$\{SYNAPSE_GATEWAY\};$/m);
    expect(dockerfile).toContain('ENV SYNAPSE_GATEWAY=gateway:3088');
    expect(dockerfile).toMatch(/COPY docker\/admin\.nginx\.conf \/etc\/nginx\/templates\/default\.conf\.template/);
    expect([...new Set(nginx.match(/\$\{[A-Z_]+\}/g))]).toEqual(['${SYNAPSE_GATEWAY}']);
  });
});

describe('production dependencies', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };

  it('are listed with their versions in docs/security.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
    const listed = Object.fromEntries(
      [...doc.matchAll(/^\| `([^`]+)`\s*\| (\S+)\s*\|$/gm)].map((match) => [match[1], match[2]]),
    );
    expect(listed).toEqual(manifest.dependencies);
  });

  it('leave the console (Angular, Apollo client) to devDependencies', () => {
    const consoleOnly = Object.keys(manifest.dependencies).filter((name) =>
      /^(@angular\/|apollo-angular$|@apollo\/client$)/.test(name),
    );
    expect(consoleOnly).toEqual([]);
  });
});

describe('.env.example', () => {
  it('is accepted by the gateway as it stands', () => {
    const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(20);
    expect(() => loadEnv(env)).not.toThrow();
  });
});

describe('gateway runtime flags', () => {
  it('are the same in the image, in `npm start`, and where the benchmark and the cluster start it', () => {
    const dockerfile = readFileSync(join(ROOT, 'docker/gateway.Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    const [node, ...args] = JSON.parse(cmd as string) as string[];
    expect(node).toBe('node');
    expect(args).toEqual([...GATEWAY_NODE_FLAGS, 'dist/main.js']);

    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const start = / node ((?:--\S+ )*)dist\/apps\/gateway\/main\.js$/.exec(scripts['start']);
    expect(start?.[1].trim().split(' ')).toEqual([...GATEWAY_NODE_FLAGS]);
  });
});
