import { Field, ObjectType } from '@nestjs/graphql';
import { RequestLog } from './request-log.model';

@ObjectType()
export class RequestLogEdge {
  @Field({ description: 'Pass as `after` to continue behind this row.' })
  cursor!: string;

  @Field(() => RequestLog)
  node!: RequestLog;
}

@ObjectType()
export class RequestLogPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The last row's cursor; null on an empty page." })
  endCursor!: string | null;
}

@ObjectType({ description: 'One page of the request log, newest first.' })
export class RequestLogConnection {
  @Field(() => [RequestLogEdge])
  edges!: RequestLogEdge[];

  @Field(() => [RequestLog])
  nodes!: RequestLog[];

  @Field(() => RequestLogPageInfo)
  pageInfo!: RequestLogPageInfo;
}
