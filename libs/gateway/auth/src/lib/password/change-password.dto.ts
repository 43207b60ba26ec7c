import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

export const MIN_PASSWORD_LENGTH = 12;

/** The body of `POST /api/auth/password` (decorators are checked bottom up). */
export class ChangePasswordDto {
  @MaxLength(1024, { message: 'currentPassword must be at most 1024 characters' })
  @IsNotEmpty({ message: 'currentPassword is required' })
  @IsString({ message: 'currentPassword must be a string' })
  currentPassword!: string;

  @MaxLength(1024, { message: 'newPassword must be at most 1024 characters' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `newPassword must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @IsString({ message: 'newPassword must be a string' })
  newPassword!: string;
}
