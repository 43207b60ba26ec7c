import { Field, ObjectType } from '@nestjs/graphql';
import { RequestLogRow } from './request-log.model';

@ObjectType()
export class RequestLogPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The last row's cursor, to pass as `after` for the next page; null on an empty page.",
  })
  endCursor!: string | null;
}

@ObjectType({
  description: 'One page of the request log, newest first; bodies are read one call at a time (requestLog).',
})
export class RequestLogConnection {
  @Field(() => [RequestLogRow])
  nodes!: RequestLogRow[];

  @Field(() => RequestLogPageInfo)
  pageInfo!: RequestLogPageInfo;
}
