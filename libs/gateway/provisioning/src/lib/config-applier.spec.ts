import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { parseConfigFile } from '@synapse/gateway/config';
import {
  openStore,
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmRoleRepository,
  TypeOrmRouteRepository,
  TypeOrmTeamRepository,
  TypeOrmUserRepository,
  type Store,
} from '@synapse/gateway/persistence';
import { ConfigApplier } from './config-applier';

const FILE = `
roles:
  - name: key-auditor
    description: Reads keys and the audit trail.
    rules:
      - { action: read, subject: [GatewayKey, AuditEvent] }
users:
  - { email: kay@example.com, role: key-auditor }
  - { email: mo@example.com }
teams:
  - { name: research, description: R&D, members: [mo@example.com], limits: { rpm: 100 } }
keys:
  - { name: research-ci, key: sk-research-0123456789abcdefghij, team: research }
`;

describe(`${ConfigApplier.name}: roles and teams on SQLite`, () => {
  let dir: string;
  let store: Store;
  let applier: ConfigApplier;
  let roles: TypeOrmRoleRepository;
  let teams: TypeOrmTeamRepository;
  let users: TypeOrmUserRepository;
  let keys: TypeOrmGatewayKeyRepository;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-applier-'));
    store = await openStore({ dataDir: dir });
    roles = new TypeOrmRoleRepository(store);
    teams = new TypeOrmTeamRepository(store);
    users = new TypeOrmUserRepository(store);
    keys = new TypeOrmGatewayKeyRepository(store);
    applier = new ConfigApplier({
      channels: new TypeOrmChannelRepository(store),
      keys,
      users,
      routes: new TypeOrmRouteRepository(store),
      roles,
      teams,
      secrets: new SecretBox(deriveMasterKey('config-applier-spec-secret-0123456789')),
    });
  });

  afterEach(async () => {
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the custom role, its holder, the team with its member and the team key; a second run changes nothing', async () => {
    const first = await applier.apply(parseConfigFile(FILE, 'f.yaml', {}));
    expect(first.created).toEqual([
      'role key-auditor',
      'user kay@example.com',
      'user mo@example.com',
      'team research',
      'key research-ci',
    ]);
    expect(await roles.findByName('key-auditor')).toMatchObject({
      rules: [{ action: 'read', subject: ['GatewayKey', 'AuditEvent'] }],
    });
    expect((await users.findByEmail('kay@example.com'))?.role).toBe('key-auditor');
    const research = await teams.findByName('research');
    const mo = await users.findByEmail('mo@example.com');
    expect(research).toMatchObject({ description: 'R&D', limits: { rpm: 100 } });
    expect(await teams.memberships()).toEqual([expect.objectContaining({ teamId: research?.id, userId: mo?.id })]);
    expect((await keys.findByName('research-ci'))?.teamId).toBe(research?.id);

    const second = await applier.apply(parseConfigFile(FILE, 'f.yaml', {}));
    expect([second.created, second.updated]).toEqual([[], []]);
  });

  it('updates a role whose rules changed and a team whose limits changed, and adds new members only', async () => {
    await applier.apply(parseConfigFile(FILE, 'f.yaml', {}));
    const research = await teams.findByName('research');
    await teams.addMember({ teamId: research?.id as string, userId: 'added-at-run-time', createdAt: new Date() });
    const changed = FILE.replace('[GatewayKey, AuditEvent]', '[GatewayKey]')
      .replace('limits: { rpm: 100 }', 'limits: { rpm: 50 }')
      .replace('members: [mo@example.com]', 'members: [mo@example.com, kay@example.com]');
    const result = await applier.apply(parseConfigFile(changed, 'f.yaml', {}));
    expect(result.updated).toEqual(['role key-auditor', 'team research']);
    expect((await roles.findByName('key-auditor'))?.rules).toEqual([{ action: 'read', subject: ['GatewayKey'] }]);
    expect((await teams.findByName('research'))?.limits).toEqual({ rpm: 50 });
    expect((await teams.memberships()).map((m) => m.userId).sort()).toEqual(
      [
        'added-at-run-time',
        (await users.findByEmail('kay@example.com'))?.id,
        (await users.findByEmail('mo@example.com'))?.id,
      ].sort(),
    );
  });

  it('switches body capture on keys and routes from the file, and leaves it alone when nothing changed', async () => {
    const file = (capture: boolean) => `
channels:
  - { name: mock, baseUrl: "https://api.example.com/v1", models: [m] }
routes:
  - { name: m, targets: [{ channel: mock }]${capture ? ', captureBodies: true' : ''} }
keys:
  - { name: logged, key: sk-logged-0123456789abcdefghij${capture ? ', captureBodies: true' : ''} }
`;
    const routes = new TypeOrmRouteRepository(store);
    await applier.apply(parseConfigFile(file(true), 'f.yaml', {}));
    expect((await keys.findByName('logged'))?.captureBodies).toBe(true);
    expect((await routes.findByName('m'))?.captureBodies).toBe(true);
    const again = await applier.apply(parseConfigFile(file(true), 'f.yaml', {}));
    expect([again.created, again.updated]).toEqual([[], []]);

    const off = await applier.apply(parseConfigFile(file(false), 'f.yaml', {}));
    expect(off.updated.sort()).toEqual(['key logged', 'route m']);
    expect((await keys.findByName('logged'))?.captureBodies).toBeUndefined();
    expect((await routes.findByName('m'))?.captureBodies).toBeUndefined();
    const still = await applier.apply(parseConfigFile(file(false), 'f.yaml', {}));
    expect([still.created, still.updated]).toEqual([[], []]);
  });
});
