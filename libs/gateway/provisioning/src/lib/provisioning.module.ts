import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { SecretBox } from '@synapse/crypto';
import { loadSecretBox, type MasterKeySource } from './master-key';
import { PROVISIONING_OPTIONS, ProvisioningService, type ProvisioningOptions } from './provisioning.service';

/** Master key, config-as-code and the first owner account. */
@Module({})
export class ProvisioningModule {
  static forRoot(options: ProvisioningOptions & Omit<MasterKeySource, 'warn'>): DynamicModule {
    const logger = new Logger('MasterKey');
    return {
      module: ProvisioningModule,
      global: true,
      providers: [
        { provide: SecretBox, useFactory: () => loadSecretBox({ ...options, warn: (m) => logger.warn(m) }) },
        { provide: PROVISIONING_OPTIONS, useValue: options },
        ProvisioningService,
      ],
      exports: [SecretBox],
    };
  }
}
