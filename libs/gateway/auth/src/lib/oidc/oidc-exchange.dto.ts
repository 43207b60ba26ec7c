import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The body of `POST /api/auth/oidc/exchange`. */
export class OidcExchangeDto {
  @MaxLength(128, { message: 'code must be at most 128 characters' })
  @IsNotEmpty({ message: 'code is required' })
  @IsString({ message: 'code must be a string' })
  code!: string;
}
