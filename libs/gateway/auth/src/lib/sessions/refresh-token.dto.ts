import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The body of `POST /api/auth/refresh` and `POST /api/auth/logout` (decorators are checked bottom up). */
export class RefreshTokenDto {
  @MaxLength(256, { message: 'refreshToken must be at most 256 characters' })
  @IsNotEmpty({ message: 'refreshToken is required' })
  @IsString({ message: 'refreshToken must be a string' })
  refreshToken!: string;
}
