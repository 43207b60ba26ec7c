import { Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ModelsService } from './models.service';

/** OpenAI-compatible read routes. The proxied POST routes are in ProxyRoutes. */
@Controller('v1')
export class OpenAIController {
  constructor(private readonly models: ModelsService) {}

  @Get('models')
  listModels(@Req() request: FastifyRequest) {
    return this.models.list(request.headers, request.ip);
  }

  /** Model ids may contain slashes (`meta-llama/Llama-3.1-8B`), hence the wildcard. */
  @Get('models/*')
  getModel(@Req() request: FastifyRequest) {
    const id = decodeURIComponent((request.params as Record<string, string>)['*'] ?? '');
    return this.models.get(request.headers, request.ip, id);
  }
}
