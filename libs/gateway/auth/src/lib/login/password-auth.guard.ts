import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AuthErrors } from './auth-errors';
import { PASSWORD_STRATEGY } from './password.strategy';

/** Runs the password strategy; the verified account lands on `request.user`. */
@Injectable()
export class PasswordAuthGuard extends AuthGuard(PASSWORD_STRATEGY) {
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw AuthErrors.invalidCredentials();
    return user;
  }
}
