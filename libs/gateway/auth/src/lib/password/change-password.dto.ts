import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@synapse/gateway/config';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

/** The body of `POST /api/auth/password` (decorators are checked bottom up). */
export class ChangePasswordDto {
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `currentPassword must be at most ${PASSWORD_MAX_LENGTH} characters` })
  @IsNotEmpty({ message: 'currentPassword is required' })
  @IsString({ message: 'currentPassword must be a string' })
  currentPassword!: string;

  @MaxLength(PASSWORD_MAX_LENGTH, { message: `newPassword must be at most ${PASSWORD_MAX_LENGTH} characters` })
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @IsString({ message: 'newPassword must be a string' })
  newPassword!: string;
}
