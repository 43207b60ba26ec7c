import { Field, ObjectType } from '@nestjs/graphql';
import { GatewayKey } from './gateway-key.model';

@ObjectType({ description: 'A key with its new secret: the only time the secret is shown; only its hash is kept.' })
export class GatewayKeySecret {
  @Field(() => GatewayKey)
  key!: GatewayKey;

  @Field()
  secret!: string;
}
