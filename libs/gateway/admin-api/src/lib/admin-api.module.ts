import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from '@synapse/gateway/auth';
import { AuditMutationsInterceptor } from './audit/audit-mutations.interceptor';
import { AuditResolver } from './audit/audit.resolver';
import { ChannelsResolver } from './channels/channels.resolver';
import { ChannelsService } from './channels/channels.service';
import { adminGraphqlOptions } from './graphql/graphql-options';
import { GatewayKeysResolver } from './keys/gateway-keys.resolver';
import { GatewayKeysService } from './keys/gateway-keys.service';
import { RoutingResolver } from './routing/routing.resolver';
import { RoutingTargetsService } from './routing/routing-targets.service';
import { RoutesResolver } from './routes/routes.resolver';
import { RoutesService } from './routes/routes.service';
import { RolesResolver } from './roles/roles.resolver';
import { RolesService } from './roles/roles.service';
import { SpendService } from './spend/spend.service';
import { TeamsResolver } from './teams/teams.resolver';
import { TeamsService } from './teams/teams.service';
import { UsersResolver } from './users/users.resolver';
import { UsersService } from './users/users.service';

/** Every resolver of the admin API (also what `schema.spec.ts` builds the schema from). */
export const ADMIN_API_RESOLVERS = [
  UsersResolver,
  RolesResolver,
  TeamsResolver,
  AuditResolver,
  RoutingResolver,
  RoutesResolver,
  ChannelsResolver,
  GatewayKeysResolver,
];

export interface AdminApiModuleOptions {
  /** The module that exports RoutingAdmin, UsageLimiter (for spend) and EgressPolicy (for channels): ProxyModule in the gateway. */
  routing: DynamicModule | Type<unknown>;
}

/**
 * The operators' GraphQL API at `/graphql`. Every operation needs an access token and declares
 * its roles (AuthModule's guards); every mutation is recorded in the audit trail. See
 * docs/admin-api.md. Needs the repositories (global persistence module), SecretBox (global
 * provisioning module), InvalidationBus (global cluster module) and AuditTrail (global audit module).
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
        RolesService,
        TeamsService,
        SpendService,
        { provide: APP_INTERCEPTOR, useClass: AuditMutationsInterceptor },
      ],
    };
  }
}
