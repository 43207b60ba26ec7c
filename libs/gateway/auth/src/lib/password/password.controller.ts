import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '../jwt/access-token';
import { Client, type ClientInfo } from '../login/client-info';
import { JsonBodyPipe } from '../login/json-body.pipe';
import { AccessTokenGuard } from './access-token.guard';
import { ChangePasswordDto } from './change-password.dto';
import { PasswordService } from './password.service';
import { SignedInUser } from './signed-in-user.decorator';

@Controller('api/auth')
export class PasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Post('password')
  @HttpCode(204)
  @UseGuards(AccessTokenGuard)
  change(
    @Body(new JsonBodyPipe('currentPassword and newPassword')) body: ChangePasswordDto,
    @SignedInUser() user: AuthenticatedUser,
    @Client() client: ClientInfo,
  ): Promise<void> {
    return this.passwords.change(user, body.currentPassword, body.newPassword, client);
  }
}
