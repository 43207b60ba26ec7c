import { ArgsType, Field } from '@nestjs/graphql';
import { LiveMetricsGroupBy } from '../models/live-metrics-group-by.enum';
import { LiveMetricsWindow } from '../models/live-metrics-window.enum';

@ArgsType()
export class LiveMetricsArgs {
  @Field(() => LiveMetricsWindow, { defaultValue: LiveMetricsWindow.FIVE_MINUTES })
  window!: LiveMetricsWindow;

  @Field(() => LiveMetricsGroupBy)
  groupBy!: (typeof LiveMetricsGroupBy)[keyof typeof LiveMetricsGroupBy];
}
