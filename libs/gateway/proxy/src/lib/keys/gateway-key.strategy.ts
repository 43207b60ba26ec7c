import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Endpoint } from '@synapse/gateway/providers';
import { Strategy } from 'passport-custom';
import type { ActiveKey } from '../catalog/catalog-snapshot';
import { CatalogService } from '../catalog/catalog.service';
import { authenticate } from './authenticate-key';

export const GATEWAY_KEY_STRATEGY = 'gateway-key';

/** What the strategy reads of a request: the headers and the caller's address (Fastify's or the raw handler's). */
export interface KeyedRequest {
  headers: IncomingHttpHeaders;
  clientIp?: string;
  ip?: string;
}

/** Passed by the caller as passport's authenticate options: the endpoint the key must allow, if any. */
export interface GatewayKeyOptions {
  endpoint?: Endpoint;
}

/**
 * Gateway keys on `/v1` (`Authorization: Bearer`, `x-api-key`, `api-key`) as a passport strategy:
 * resolved from memory, never from the database. Refusals are thrown as the OpenAI-shaped errors
 * callers expect (401 invalid_api_key, 403 for an address or endpoint the key may not use).
 */
@Injectable()
export class GatewayKeyStrategy extends PassportStrategy(Strategy, GATEWAY_KEY_STRATEGY) {
  constructor(private readonly catalog: CatalogService) {
    super({ passOptionsToCallback: true });
  }

  validate(request: KeyedRequest, options: GatewayKeyOptions | undefined): ActiveKey {
    return authenticate(request.headers, this.catalog.snapshot, request.clientIp ?? request.ip, options?.endpoint);
  }
}
