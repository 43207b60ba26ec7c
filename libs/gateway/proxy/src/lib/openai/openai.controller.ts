import { Controller, Delete, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { GatewayError } from '@synapse/gateway/errors';
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

  /**
   * Model ids may contain slashes (`meta-llama/Llama-3.1-8B`), hence the wildcard. Fastify has
   * decoded it already: decoding again read `%25` as an escape (and threw on a lone `%`).
   */
  @Get('models/*')
  getModel(@Req() request: KeyedFastifyRequest) {
    const id = (request.params as Record<string, string>)['*'] ?? '';
    return this.models.get(request.user, id);
  }

  /**
   * The Responses API's stored-response routes. The gateway keeps no responses (`store` is
   * accepted, nothing is kept: docs/responses-api.md), so every id is unknown, in OpenAI's words.
   */
  @Get('responses/:id')
  getResponse(@Param('id') id: string): never {
    throw responseNotFound(id);
  }

  @Delete('responses/:id')
  deleteResponse(@Param('id') id: string): never {
    throw responseNotFound(id);
  }

  @Get('responses/:id/input_items')
  listInputItems(@Param('id') id: string): never {
    throw responseNotFound(id);
  }

  @Post('responses/:id/cancel')
  cancelResponse(@Param('id') id: string): never {
    throw responseNotFound(id);
  }
}

function responseNotFound(id: string): GatewayError {
  return new GatewayError(
    404,
    'response_not_found',
    `Response with id '${id}' not found: this gateway does not store responses.`,
    {
      param: 'response_id',
    },
  );
}
