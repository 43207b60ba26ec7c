import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenFailure } from '../login/auth-failure-log';
import { accessTokenFailure } from './access-token-failure';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * A first look at `Authorization: Bearer …` that needs no I/O: signature, algorithm, issuer,
 * audience and expiry, as JwtStrategy checks them, but not whether the session has ended since.
 * It decides how much a request may send before its body is read; whether it may do anything is
 * still for the guards to say.
 */
@Injectable()
export class BearerTokenPrecheck {
  constructor(private readonly jwt: JwtService) {}

  /** Undefined for a token that is valid as far as it can tell; otherwise why not. */
  failure(authorization: string | undefined): AccessTokenFailure | undefined {
    if (!authorization) return 'missing_token';
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return 'invalid_token';
    try {
      this.jwt.verify(token);
      return undefined;
    } catch (error) {
      return accessTokenFailure(authorization, error);
    }
  }
}
