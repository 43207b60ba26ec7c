import { Module, type DynamicModule } from '@nestjs/common';
import { UsageQueryService } from './query/usage-query.service';
import { USAGE_ROLLUP_OPTIONS, UsageRollupJob, type UsageRollupOptions } from './rollup/usage-rollup.job';

/**
 * Usage rollups and the queries over them. Needs the repositories (global persistence module)
 * and SchedulerRegistry (ScheduleModule.forRoot, imported once by ProxyModule).
 */
@Module({})
export class UsageModule {
  static forRoot(options: UsageRollupOptions): DynamicModule {
    return {
      module: UsageModule,
      global: true,
      providers: [{ provide: USAGE_ROLLUP_OPTIONS, useValue: options }, UsageRollupJob, UsageQueryService],
      exports: [UsageRollupJob, UsageQueryService],
    };
  }
}
