import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { User } from '@synapse/gateway/persistence';
import type { FastifyRequest } from 'fastify';
import type { TokenPairResponse } from '../tokens/token-pair';
import { Client, type ClientInfo } from './client-info';
import { LoginService } from './login.service';
import { PasswordAuthGuard } from './password-auth.guard';

@Controller('api/auth')
export class LoginController {
  constructor(private readonly login: LoginService) {}

  /** The password strategy has verified the account; this starts its session. */
  @Post('login')
  @HttpCode(200)
  @UseGuards(PasswordAuthGuard)
  signIn(@Req() request: FastifyRequest & { user: User }, @Client() client: ClientInfo): Promise<TokenPairResponse> {
    return this.login.startSession(request.user, client);
  }
}
