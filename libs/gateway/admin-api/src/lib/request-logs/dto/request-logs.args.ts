import { ArgsType, Field, Int } from '@nestjs/graphql';
import { RequestLogFilter } from './request-log-filter.input';

@ArgsType()
export class RequestLogsArgs {
  @Field(() => RequestLogFilter, { nullable: true })
  filter?: RequestLogFilter | null;

  @Field(() => Int, { defaultValue: 50, description: 'Page size, 1-500.' })
  first!: number;

  @Field(() => String, { nullable: true, description: "A previous page's pageInfo.endCursor." })
  after?: string | null;
}
