import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Client, type ClientInfo } from '../login/client-info';
import { JsonBodyPipe } from '../login/json-body.pipe';
import type { TokenPairResponse } from '../tokens/token-pair';
import { RefreshTokenDto } from './refresh-token.dto';
import { SessionService } from './session.service';

@Controller('api/auth')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Post('refresh')
  @HttpCode(200)
  refresh(
    @Body(new JsonBodyPipe('refreshToken')) body: RefreshTokenDto,
    @Client() client: ClientInfo,
  ): Promise<TokenPairResponse> {
    return this.sessions.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Body(new JsonBodyPipe('refreshToken')) body: RefreshTokenDto, @Client() client: ClientInfo): Promise<void> {
    return this.sessions.logout(body.refreshToken, client);
  }
}
