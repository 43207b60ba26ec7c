import { Module, type DynamicModule } from '@nestjs/common';
import { RETENTION_OPTIONS, RetentionJob, type RetentionOptions } from './retention.job';

/**
 * Purges old history on a schedule: the RetentionTarget[] that the persistence module provides
 * (RETENTION_TARGETS), with the days per kind from RETENTION_* (docs/logs.md#retention).
 */
@Module({})
export class RetentionModule {
  static forRoot(options: RetentionOptions): DynamicModule {
    return {
      module: RetentionModule,
      providers: [{ provide: RETENTION_OPTIONS, useValue: options }, RetentionJob],
      exports: [RetentionJob],
    };
  }
}
