import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Client, type ClientInfo } from '../login/client-info';
import { JsonBodyPipe } from '../login/json-body.pipe';
import type { TokenPairResponse } from '../tokens/token-pair';
import { OidcCallbackGuard } from './oidc-callback.guard';
import { OidcExchangeDto } from './oidc-exchange.dto';
import type { OidcIdentity } from './oidc-identity';
import { OidcRedirectFilter } from './oidc-redirect.filter';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcStateCookie } from './oidc-state-cookie';

/** Single sign-on: two browser hops that end on the console, and the exchange the console makes. */
@Controller('api/auth/oidc')
export class OidcController {
  constructor(
    private readonly signIn: OidcSignInService,
    private readonly stateCookie: OidcStateCookie,
  ) {}

  @Get('login')
  @UseFilters(OidcRedirectFilter)
  async login(@Res() reply: FastifyReply): Promise<void> {
    const { url, cookie } = await this.signIn.start();
    void reply.header('set-cookie', cookie).header('cache-control', 'no-store').redirect(url, 302);
  }

  @Get('callback')
  @UseGuards(OidcCallbackGuard)
  @UseFilters(OidcRedirectFilter)
  async callback(
    @Req() request: FastifyRequest & { user: OidcIdentity },
    @Client() client: ClientInfo,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const url = await this.signIn.complete(request.user, client);
    void reply.header('set-cookie', this.stateCookie.clear()).header('cache-control', 'no-store').redirect(url, 302);
  }

  @Post('exchange')
  @HttpCode(200)
  exchange(
    @Body(new JsonBodyPipe('code')) body: OidcExchangeDto,
    @Client() client: ClientInfo,
  ): Promise<TokenPairResponse> {
    return this.signIn.exchange(body.code, client);
  }
}
