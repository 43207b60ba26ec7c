import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { User } from '@synapse/gateway/persistence';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { clientInfo } from './client-info';
import { JsonBodyPipe } from './json-body.pipe';
import { LoginDto } from './login.dto';
import { LoginService } from './login.service';

export const PASSWORD_STRATEGY = 'password';

const loginBody = new JsonBodyPipe('email and password');

/**
 * Email and password (`POST /api/auth/login`): the body is checked like any DTO, then the password
 * against its argon2id hash within the lockout limits (LoginService). Refusals are thrown as the
 * auth errors the console knows (401 invalid_credentials, 429 with Retry-After).
 */
@Injectable()
export class PasswordStrategy extends PassportStrategy(Strategy, PASSWORD_STRATEGY) {
  constructor(private readonly login: LoginService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<User> {
    const body = (await loginBody.transform(request.body, { type: 'body', metatype: LoginDto })) as LoginDto;
    return this.login.verify(body.email, body.password, clientInfo(request));
  }
}
