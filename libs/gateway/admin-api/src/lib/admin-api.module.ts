import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from '@synapse/gateway/auth';
import { ChannelsResolver } from './channels/channels.resolver';
import { ChannelsService } from './channels/channels.service';
import { adminGraphqlOptions } from './graphql/graphql-options';
import { GatewayKeysResolver } from './keys/gateway-keys.resolver';
import { GatewayKeysService } from './keys/gateway-keys.service';
import { RoutingResolver } from './routing/routing.resolver';
import { RoutingTargetsService } from './routing/routing-targets.service';
import { RoutesResolver } from './routes/routes.resolver';
import { RoutesService } from './routes/routes.service';
import { MeResolver } from './users/me.resolver';
import { UsersService } from './users/users.service';

/** Every resolver of the admin API (also what `schema.spec.ts` builds the schema from). */
export const ADMIN_API_RESOLVERS = [MeResolver, RoutingResolver, RoutesResolver, ChannelsResolver, GatewayKeysResolver];

export interface AdminApiModuleOptions {
  /** The module that exports RoutingAdmin: ProxyModule in the gateway. */
  routing: DynamicModule | Type<unknown>;
}

/**
 * The operators' GraphQL API at `/graphql`. Every operation needs an access token and declares
 * its roles (AuthModule's guards); see docs/admin-api.md. Also needs RouteRepository,
 * GatewayKeyRepository, ChannelRepository (global persistence module), SecretBox (global provisioning module)
 * and InvalidationBus (global cluster module).
 */
@Module({})
export class AdminApiModule {
  static forRoot(options: AdminApiModuleOptions): DynamicModule {
    return {
      module: AdminApiModule,
      imports: [AuthModule, options.routing, GraphQLModule.forRoot(adminGraphqlOptions())],
      providers: [
        ...ADMIN_API_RESOLVERS,
        RoutingTargetsService,
        RoutesService,
        ChannelsService,
        GatewayKeysService,
        UsersService,
      ],
    };
  }
}
