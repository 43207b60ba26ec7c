import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { PriceFields } from './price.fields';

@ObjectType({
  description:
    "One change of a model's runtime price; a deletion hands the model back to the config file or the defaults.",
})
export class ModelPriceChange extends PriceFields {
  @Field(() => ID)
  id!: string;

  @Field()
  model!: string;

  @Field(() => DateTimeScalar)
  effectiveFrom!: Date;

  @Field(() => String, { nullable: true })
  createdBy!: string | null;

  @Field()
  deleted!: boolean;
}
