import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/**
 * The body of `POST /api/auth/login`. LoginBodyPipe reports the first problem of each field, and
 * class-validator checks a field's decorators from the bottom up: the basic checks come last.
 */
export class LoginDto {
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  // Hashing cost grows with the input: no reason to hash megabytes.
  @MaxLength(1024, { message: 'password must be at most 1024 characters' })
  @IsNotEmpty({ message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  password!: string;
}
