import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { TokenPairResponse } from '../tokens/token-pair';
import { Client, type ClientInfo } from './client-info';
import { JsonBodyPipe } from './json-body.pipe';
import { LoginDto } from './login.dto';
import { LoginService } from './login.service';

@Controller('api/auth')
export class LoginController {
  constructor(private readonly login: LoginService) {}

  @Post('login')
  @HttpCode(200)
  signIn(
    @Body(new JsonBodyPipe('email and password')) body: LoginDto,
    @Client() client: ClientInfo,
  ): Promise<TokenPairResponse> {
    return this.login.login(body.email, body.password, client);
  }
}
