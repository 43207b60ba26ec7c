import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { AccessTokenResponse } from '../jwt/access-token';
import { LoginBodyPipe } from './login-body.pipe';
import { LoginDto } from './login.dto';
import { LoginService } from './login.service';

@Controller('api/auth')
export class LoginController {
  constructor(private readonly login: LoginService) {}

  @Post('login')
  @HttpCode(200)
  signIn(@Body(LoginBodyPipe) body: LoginDto): Promise<AccessTokenResponse> {
    return this.login.login(body.email, body.password);
  }
}
