import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { LiveMetricsGroupBy } from './live-metrics-group-by.enum';
import { LiveMetricsRow } from './live-metrics-row.model';
import { LiveMetricsWindow } from './live-metrics-window.enum';

@ObjectType({ description: 'Live request figures over the last minutes, per group, busiest first.' })
export class LiveMetrics {
  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => LiveMetricsWindow)
  window!: LiveMetricsWindow;

  @Field(() => LiveMetricsGroupBy)
  groupBy!: (typeof LiveMetricsGroupBy)[keyof typeof LiveMetricsGroupBy];

  @Field(() => [LiveMetricsRow])
  rows!: LiveMetricsRow[];
}
