import type { Logger } from '@nestjs/common';
import type { ProvisioningService } from '@synapse/gateway/provisioning';
import type { PriceCatalog } from '@synapse/gateway/proxy';

/**
 * SIGHUP: the config file read and applied again without a restart (docs/configuration.md). A
 * file that does not parse or names a refused address changes nothing, and the gateway goes on as
 * it was; signals that come during a reload make one more, not one each.
 */
export class ConfigReload {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly provisioning: ProvisioningService,
    private readonly prices: PriceCatalog,
    private readonly logger: Logger,
  ) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.once();
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
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
