import type { Logger } from '@nestjs/common';
import type { ProvisioningService } from '@synapse/gateway/provisioning';
import { CoalescedReload, type PriceCatalog } from '@synapse/gateway/proxy';

/**
 * SIGHUP: the config file read and applied again without a restart (docs/configuration.md). A
 * file that does not parse or names a refused address changes nothing, and the gateway goes on as
 * it was.
 */
export class ConfigReload {
  private readonly reloads = new CoalescedReload(() => this.once());

  constructor(
    private readonly provisioning: ProvisioningService,
    private readonly prices: PriceCatalog,
    private readonly logger: Logger,
  ) {}

  /** Never two at once; signals during a reload read the file once more after it, so the file read last is applied. */
  run(): Promise<void> {
    return this.reloads.run();
  }

  private async once(): Promise<void> {
    try {
      const config = await this.provisioning.reloadConfigFile();
      if (!config) {
        this.logger.warn('SIGHUP: there is no config file to read again (SYNAPSE_CONFIG is not set)');
        return;
      }
      await this.prices.useConfigPrices(config.prices, config.unpricedModels);
      this.logger.log('SIGHUP: the config file was read and applied again');
    } catch (error) {
      this.logger.error(
        `SIGHUP: the config file was not applied; the gateway goes on as it was: ${(error as Error).message}`,
      );
    }
  }
}
