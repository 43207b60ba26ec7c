import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayKeyGuard } from '../keys/gateway-key.guard';
import type { ActiveKey } from '../catalog/catalog-snapshot';
import { ModelsService } from './models.service';

type KeyedFastifyRequest = FastifyRequest & { user: ActiveKey };

/** OpenAI-compatible read routes, behind the gateway key strategy. The proxied POST routes are in ProxyRoutes. */
@Controller('v1')
@UseGuards(GatewayKeyGuard)
export class OpenAIController {
  constructor(private readonly models: ModelsService) {}

  @Get('models')
  listModels(@Req() request: KeyedFastifyRequest) {
    return this.models.list(request.user);
  }

  /** Model ids may contain slashes (`meta-llama/Llama-3.1-8B`), hence the wildcard. */
  @Get('models/*')
  getModel(@Req() request: KeyedFastifyRequest) {
    const id = decodeURIComponent((request.params as Record<string, string>)['*'] ?? '');
    return this.models.get(request.user, id);
  }
}
