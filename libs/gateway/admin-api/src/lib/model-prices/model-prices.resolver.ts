import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentUser, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { SetModelPriceInput } from './dto/set-model-price.input';
import { ModelPriceChange } from './models/model-price-change.model';
import { ModelPrice } from './models/model-price.model';
import { ModelPricesService } from './model-prices.service';

@Resolver(() => ModelPrice)
export class ModelPricesResolver {
  constructor(private readonly prices: ModelPricesService) {}

  @Query(() => [ModelPrice], { description: 'Runtime, config-file and built-in prices, in the order they are asked.' })
  @Authorize(Action.Read, 'ModelPrice')
  modelPrices(): ModelPrice[] {
    return this.prices.list();
  }

  @Query(() => [ModelPriceChange], { description: "A model's runtime price changes, newest first." })
  @Authorize(Action.Read, 'ModelPrice')
  modelPriceHistory(@Args('model') model: string): Promise<ModelPriceChange[]> {
    return this.prices.history(model);
  }

  @Mutation(() => ModelPrice, {
    description: 'Sets the runtime price of a model or glob, from now on, on every replica.',
  })
  @Authorize([Action.Create, Action.Update], 'ModelPrice')
  setModelPrice(@Args('input') input: SetModelPriceInput, @CurrentUser() user: AuthenticatedUser): Promise<ModelPrice> {
    return this.prices.set(input, user);
  }

  @Mutation(() => ModelPriceChange, {
    description: 'Ends the runtime price: the config file or the defaults apply again.',
  })
  @Authorize(Action.Delete, 'ModelPrice')
  deleteModelPrice(@Args('model') model: string, @CurrentUser() user: AuthenticatedUser): Promise<ModelPriceChange> {
    return this.prices.remove(model, user);
  }
}
