import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Errors } from '@synapse/gateway/errors';
import { GATEWAY_KEY_STRATEGY } from './gateway-key.strategy';

/** The gateway key strategy on Nest-routed `/v1` routes (`GET /v1/models`); the key lands on `request.user`. */
@Injectable()
export class GatewayKeyGuard extends AuthGuard(GATEWAY_KEY_STRATEGY) {
  override handleRequest<TUser>(error: unknown, key: TUser | false): TUser {
    if (error) throw error;
    if (!key) throw Errors.invalidKey();
    return key;
  }
}
