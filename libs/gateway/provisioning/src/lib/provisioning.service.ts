import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { generatePassword, SecretBox } from '@synapse/crypto';
import { InvalidationBus } from '@synapse/gateway/cluster';
import { ConfigFileError, loadConfigFile, type ConfigFile, type EgressPolicy } from '@synapse/gateway/config';
import { refusedAddresses } from './config-check';
import {
  AlertRuleRepository,
  ChannelRepository,
  GatewayKeyRepository,
  NotificationChannelRepository,
  ReplicaLock,
  RoleRepository,
  RouteRepository,
  TeamRepository,
  UserRepository,
} from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '@synapse/gateway/auth';
import { AlertsConfigApplier } from './alerts-config-applier';
import { ConfigApplier } from './config-applier';
import { recordGeneratedSecret } from './generated-secrets-file';
import { assertStoredSecretsReadable, fillMissingKeyHints, sealPlainHeaderValues } from './stored-secrets';

export interface ProvisioningOptions {
  configFile?: string;
  adminEmail: string;
  adminPassword?: string;
  /** Channels of the config file must point where the gateway may connect (UPSTREAM_ALLOWED_PRIVATE_CIDRS). */
  egress: EgressPolicy;
  /** The data folder, where generated secrets are written (GENERATED_SECRETS_FILE). */
  dataDir: string;
  /** Where the notice of a generated secret (its file, not the secret) is shown; stdout by default. */
  announce?: (text: string) => void;
}

export const PROVISIONING_OPTIONS = Symbol('PROVISIONING_OPTIONS');

/**
 * At start: checks that the master keys can read every stored secret (and fills the key hints of
 * channels stored before hints existed), applies the config file, then makes sure an owner account exists.
 */
@Injectable()
export class ProvisioningService implements OnModuleInit {
  private readonly logger = new Logger('Provisioning');

  constructor(
    @Inject(PROVISIONING_OPTIONS) private readonly options: ProvisioningOptions,
    private readonly channels: ChannelRepository,
    private readonly keys: GatewayKeyRepository,
    private readonly users: UserRepository,
    private readonly routes: RouteRepository,
    private readonly roles: RoleRepository,
    private readonly teams: TeamRepository,
    private readonly alertRules: AlertRuleRepository,
    private readonly notificationChannels: NotificationChannelRepository,
    private readonly secrets: SecretBox,
    private readonly bus: InvalidationBus,
    private readonly replicas: ReplicaLock,
  ) {}

  /** One replica at a time: replicas started together created the file's entries twice, or crashed. */
  onModuleInit(): Promise<void> {
    return this.replicas.exclusively('provisioning', () => this.provision());
  }

  private async provision(): Promise<void> {
    const channels = await this.channels.findAll();
    // A wrong or missing master secret stops the start here, not at the first request that needs a key.
    assertStoredSecretsReadable(channels, this.secrets);
    await this.warnOfUnreadableNotifiers();
    const hinted = await fillMissingKeyHints(channels, this.secrets, this.channels);
    if (hinted) this.logger.log(`stored the key hint of ${hinted} channel(s) saved before hints existed`);
    const sealed = await sealPlainHeaderValues(channels, this.secrets, this.channels);
    if (sealed) this.logger.log(`sealed the header values of ${sealed} channel(s) stored in clear`);
    if (this.options.configFile) await this.applyConfigFile(this.options.configFile);
    await this.ensureOwner();
  }

  /** Alerting must not stop the gateway: its deliveries would fail, each recorded with the reason. */
  private async warnOfUnreadableNotifiers(): Promise<void> {
    const unreadable = (await this.notificationChannels.findAll()).filter(
      (n) => n.secretsEncrypted && !this.secrets.knows(SecretBox.keyIdOf(n.secretsEncrypted)),
    );
    if (unreadable.length) {
      this.logger.warn(
        `the secrets of notification channel(s) ${unreadable.map((n) => `'${n.name}'`).join(', ')} were sealed under a ` +
          'master key that is not configured: add it to SYNAPSE_SECRET_PREVIOUS, or set their secrets again',
      );
    }
  }

  /**
   * The config file read and applied again while the gateway serves (SIGHUP), one replica at a
   * time like a start: what it declares is created or updated, every replica reloads what changed.
   * Undefined without a file. A file that does not parse or names a refused address throws
   * before anything is written; an entry the store refuses stops it there, as at a start.
   */
  async reloadConfigFile(): Promise<ConfigFile | undefined> {
    const file = this.options.configFile;
    if (!file) return undefined;
    return this.replicas.exclusively('provisioning', () => this.applyConfigFile(file));
  }

  private async applyConfigFile(file: string): Promise<ConfigFile> {
    const config = loadConfigFile(file);
    // A channel or webhook at an address the gateway will not dial stops the start, naming it.
    const refused = refusedAddresses(config, this.options.egress);
    if (refused.length) throw new ConfigFileError(file, refused);
    const applier = new ConfigApplier({
      channels: this.channels,
      keys: this.keys,
      users: this.users,
      routes: this.routes,
      roles: this.roles,
      teams: this.teams,
      secrets: this.secrets,
    });
    const result = await applier.apply(config);
    // After channels, keys and teams, which alert rules name in their scope.
    await new AlertsConfigApplier({
      alertRules: this.alertRules,
      notificationChannels: this.notificationChannels,
      channels: this.channels,
      keys: this.keys,
      teams: this.teams,
      secrets: this.secrets,
    }).apply(config, result);
    const changes = [...result.created.map((c) => `created ${c}`), ...result.updated.map((c) => `updated ${c}`)];
    this.logger.log(`applied ${file}: ${changes.length ? changes.join(', ') : 'no changes'}`);
    for (const { name, key } of result.generatedKeys) {
      const file = this.recordSecret(`gateway key '${name}'`, key);
      this.announce(`Gateway key '${name}' was created with a generated secret, written to ${file}`);
    }
    if (changes.length) {
      // Other replicas already running reload what the file changed.
      await this.bus.publish('catalog');
      await this.bus.publish('access');
    }
    return config;
  }

  private async ensureOwner(): Promise<void> {
    // Whatever else the config file declares, somebody must be able to administer the gateway.
    if ((await this.users.count({ role: 'owner' })) > 0) return;
    const { adminEmail, adminPassword } = this.options;
    const existing = await this.users.findByEmail(adminEmail);
    if (existing) {
      await this.users.save({ ...existing, role: 'owner', updatedAt: new Date() });
      this.logger.warn(`no owner account existed: ${adminEmail} (ADMIN_EMAIL) was made owner`);
      return;
    }
    const password = adminPassword ?? generatePassword();
    const now = new Date();
    await this.users.save({
      id: randomUUID(),
      email: adminEmail,
      name: 'Owner',
      role: 'owner',
      passwordHash: await hashPassword(password),
      createdAt: now,
      updatedAt: now,
    });
    this.logger.log(`created the owner account ${adminEmail}`);
    if (!adminPassword) {
      const file = this.recordSecret(`owner account ${adminEmail} password`, password);
      this.announce(`Owner account ${adminEmail} was created with a generated password, written to ${file}`);
    }
  }

  /** Into the data folder's owner-only file; the console and the logs get its path only. */
  private recordSecret(what: string, secret: string): string {
    return recordGeneratedSecret(this.options.dataDir, what, secret, (m) => this.logger.warn(m));
  }

  private announce(text: string): void {
    const notice = `${text} (readable only by the gateway's user): store it elsewhere, then delete the file.`;
    (this.options.announce ?? ((t: string) => process.stdout.write(`\n*** ${t}\n\n`)))(notice);
  }
}
