import { Field, InputType, Int } from '@nestjs/graphql';

@InputType({ description: 'SMTP settings of an email channel.' })
export class SmtpSettingsInput {
  @Field()
  host!: string;

  @Field(() => Int, { defaultValue: 587 })
  port?: number;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'TLS from the start (465); otherwise STARTTLS when offered.',
  })
  secure?: boolean;

  @Field(() => String, { nullable: true })
  user?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Write-only. On update: left out keeps the stored one (unless the host changes), null clears it.',
  })
  password?: string | null;

  @Field()
  from!: string;

  @Field(() => [String])
  to!: string[];
}
