import { Injectable } from '@nestjs/common';
import { GqlErrors } from '@synapse/gateway/auth';
import { ChannelRepository } from '@synapse/gateway/persistence';
import { ChannelTester, type ChannelCheckView } from '@synapse/gateway/proxy';

/** "Test connection": one health check of a channel now, with its stored key, on this replica. */
@Injectable()
export class ChannelTestService {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly tester: ChannelTester,
  ) {}

  async test(id: string): Promise<ChannelCheckView> {
    const channel = await this.channels.findById(id);
    if (!channel) throw GqlErrors.notFound(`No channel has the id '${id}'.`);
    if (!channel.enabled) throw GqlErrors.badUserInput(`Channel '${channel.name}' is disabled: enable it to test it.`);
    const check = await this.tester.test(id);
    // Saved a moment ago and not yet loaded by this replica: the catalog reloads on every change.
    if (!check) throw GqlErrors.badUserInput(`Channel '${channel.name}' is not served yet; try again in a second.`);
    return check;
  }
}
