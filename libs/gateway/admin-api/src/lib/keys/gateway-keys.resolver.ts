import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentAbility, CurrentUser, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action, type AppAbility } from '@synapse/rbac';
import { Spend, SPEND_DESCRIPTION } from '../spend/models/spend.model';
import { SpendService } from '../spend/spend.service';
import { CreateGatewayKeyInput } from './dto/create-gateway-key.input';
import { RotateGatewayKeyArgs } from './dto/rotate-gateway-key.args';
import { UpdateGatewayKeyInput } from './dto/update-gateway-key.input';
import { GatewayKeysService } from './gateway-keys.service';
import { GatewayKey } from './models/gateway-key.model';
import { GatewayKeySecret } from './models/gateway-key-secret.model';

@Resolver(() => GatewayKey)
export class GatewayKeysResolver {
  constructor(
    private readonly service: GatewayKeysService,
    private readonly spending: SpendService,
  ) {}

  @Query(() => [GatewayKey], { description: 'The gateway keys the caller may see (members: their own), by name.' })
  @Authorize(Action.Read, 'GatewayKey')
  gatewayKeys(@CurrentAbility() ability: AppAbility): Promise<GatewayKey[]> {
    return this.service.list(ability);
  }

  @Mutation(() => GatewayKeySecret, {
    description: 'Creates a key and returns its secret, shown this once; every replica reloads.',
  })
  @Authorize(Action.Create, 'GatewayKey')
  createGatewayKey(
    @Args('input') input: CreateGatewayKeyInput,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentAbility() ability: AppAbility,
  ): Promise<GatewayKeySecret> {
    return this.service.create(input, user, ability);
  }

  @Mutation(() => GatewayKeySecret, {
    description: 'Gives a key a new secret, shown this once; the old one works for graceSeconds more.',
  })
  @Authorize(Action.Update, 'GatewayKey')
  rotateGatewayKey(
    @Args() { id, graceSeconds }: RotateGatewayKeyArgs,
    @CurrentAbility() ability: AppAbility,
  ): Promise<GatewayKeySecret> {
    return this.service.rotate(id, graceSeconds, ability);
  }

  @Mutation(() => GatewayKey, { description: 'Revokes a key for good, on every replica before this answers.' })
  @Authorize(Action.Delete, 'GatewayKey')
  revokeGatewayKey(
    @Args('id', { type: () => ID }) id: string,
    @CurrentAbility() ability: AppAbility,
  ): Promise<GatewayKey> {
    return this.service.revoke(id, ability);
  }

  @Mutation(() => GatewayKey, {
    description: "Changes a key's name, models, endpoints, IP allow-list, state or expiry.",
  })
  @Authorize(Action.Update, 'GatewayKey')
  updateGatewayKey(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateGatewayKeyInput,
    @CurrentAbility() ability: AppAbility,
  ): Promise<GatewayKey> {
    return this.service.update(id, input, ability);
  }

  @ResolveField(() => Spend, { nullable: true, description: SPEND_DESCRIPTION })
  spend(@Parent() key: GatewayKey): Promise<Spend | null> {
    return this.spending.of('key', key.id, key.limits);
  }
}
