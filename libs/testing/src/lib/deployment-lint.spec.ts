import { loadEnv } from '@synapse/gateway/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/*
 * Images cannot be built here (no Docker engine, no Compose plugin): the Dockerfiles and the
 * compose file are checked statically instead, with rules after hadolint's (DLxxxx) and the
 * Compose specification's, so that a change that would break a deployment fails in CI.
 */

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of the last stage: what the image runs as. */
function finalStage(all: Instruction[]): Instruction[] {
  const start = all.map((i) => i.keyword).lastIndexOf('FROM');
  return all.slice(start);
}

const DOCKERFILES = ['docker/gateway.Dockerfile', 'docker/admin.Dockerfile'];

describe.each(DOCKERFILES)('%s', (file) => {
  const all = instructions(read(file));
  const runtime = finalStage(all);
  const runs = all.filter((i) => i.keyword === 'RUN').map((i) => i.args);

  it('pins every base image to a tag other than latest (DL3006, DL3007)', () => {
    for (const from of all.filter((i) => i.keyword === 'FROM')) {
      const image = from.args.split(/\s+/)[0];
      expect(image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('runs as a user other than root (DL3002)', () => {
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a health check', () => {
    expect(runtime.some((i) => i.keyword === 'HEALTHCHECK' && /CMD\s+\S/.test(i.args))).toBe(true);
  });

  it('installs from the lock file: npm ci after copying package-lock.json, npm itself pinned', () => {
    const lockCopied = all.findIndex((i) => i.keyword === 'COPY' && /package-lock\.json/.test(i.args));
    const ci = all.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(lockCopied).toBeGreaterThanOrEqual(0);
    expect(ci).toBeGreaterThan(lockCopied);
    for (const run of runs.filter((r) => /\bnpm (install|i)\b/.test(r))) {
      expect(run).toMatch(/npm install -g npm@\d+\.\d+\.\d+/);
    }
  });

  it('keeps apt lean: no recommends, lists removed in the same layer (DL3015, DL3009)', () => {
    for (const run of runs.filter((r) => /apt-get install/.test(r))) {
      expect(run).toContain('--no-install-recommends');
      expect(run).toContain('rm -rf /var/lib/apt/lists');
    }
  });

  it('uses COPY for files and fetches nothing at run time (DL3020, no curl | sh)', () => {
    expect(all.filter((i) => i.keyword === 'ADD')).toEqual([]);
    for (const run of runs) expect(run).not.toMatch(/(curl|wget)[^|]*\|\s*(ba)?sh/);
  });

  it('uses absolute WORKDIRs (DL3000)', () => {
    for (const dir of all.filter((i) => i.keyword === 'WORKDIR')) expect(dir.args).toMatch(/^\//);
  });
});

interface Service {
  build?: unknown;
  image?: string;
  ports?: string[];
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean }>;
  networks?: Record<string, unknown> | string[];
  volumes?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  deploy?: { replicas?: string | number };
  stop_grace_period?: string;
}

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const compose = parse(text) as {
    services: Record<string, Service>;
    networks?: Record<string, unknown>;
    volumes?: Record<string, unknown>;
  };
  const services = Object.entries(compose.services);

  it('interpolates only well-formed variables (${NAME}, ${NAME:-default}, ${NAME:?message})', () => {
    const uses = text.match(/\$\{[^}]*\}/g) ?? [];
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^\$\{[A-Z_][A-Z0-9_]*((:?[-?])[^}]*)?\}$/);
  });

  it('has an image or a build for every service, images pinned', () => {
    for (const [, service] of services) {
      expect(Boolean(service.build) || Boolean(service.image)).toBe(true);
      if (service.image) expect(service.image).toMatch(/^[\w./-]+:[\w.-]+$/);
    }
  });

  it('refers only to declared services, networks and named volumes', () => {
    const names = new Set(Object.keys(compose.services));
    for (const [, service] of services) {
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(names).toContain(dependency);
      const networks = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
      for (const network of networks) expect(Object.keys(compose.networks ?? {})).toContain(network);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.') && !source.startsWith('/')) {
          expect(Object.keys(compose.volumes ?? {})).toContain(source);
        }
      }
    }
  });

  it('publishes the console on 3000 and the API on 3088 by default', () => {
    expect(compose.services['admin'].ports).toEqual(['3000:3000']);
    const [published] = compose.services['gateway'].ports ?? [];
    expect(published).toBe('${GATEWAY_PORTS:-3088}:3088');
  });

  it('gives the services without a Dockerfile health checks, and starts the gateway after them when present', () => {
    for (const [, service] of services.filter(([, s]) => !s.build)) {
      expect(service.healthcheck?.test?.length).toBeGreaterThan(0);
    }
    const gateway = compose.services['gateway'];
    expect(gateway.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy', required: false },
      redis: { condition: 'service_healthy', required: false },
    });
  });

  it('runs several replicas on PostgreSQL and Redis under the `replicas` profile', () => {
    expect(compose.services['postgres'].profiles).toEqual(['replicas']);
    expect(compose.services['redis'].profiles).toEqual(['replicas']);
    const gateway = compose.services['gateway'];
    expect(gateway.profiles).toBeUndefined();
    expect(String(gateway.deploy?.replicas)).toBe('${GATEWAY_REPLICAS:-1}');
    expect(gateway.environment?.['DATABASE_URL']).toBe('${DATABASE_URL:-}');
    expect(gateway.environment?.['REDIS_URL']).toBe('${REDIS_URL:-}');
  });

  it('passes variables the gateway accepts: empty URLs mean the embedded store', () => {
    const env = loadEnv({ DATABASE_URL: '', REDIS_URL: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    const replicas = loadEnv({
      DATABASE_URL: 'postgres://synapse:synapse@postgres:5432/synapse',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(replicas.DATABASE_URL).toContain('@postgres:5432');
  });

  it('gives the gateway longer to stop than it takes to drain', () => {
    const grace = Number(compose.services['gateway'].stop_grace_period?.replace(/s$/, ''));
    expect(grace * 1000).toBeGreaterThan(loadEnv({}).SHUTDOWN_TIMEOUT_MS);
  });
});
