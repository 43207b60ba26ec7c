import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelsService } from './models.service';
import { ProxyService } from './proxy.service';

/** OpenAI-compatible routes. Each handler makes one call; the pipeline owns the rules. */
@Controller('v1')
export class OpenAIController {
  constructor(
    private readonly proxy: ProxyService,
    private readonly models: ModelsService,
  ) {}

  @Post('chat/completions')
  chatCompletions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('chat.completions', request, reply);
  }

  @Post('completions')
  completions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('completions', request, reply);
  }

  @Post('embeddings')
  embeddings(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('embeddings', request, reply);
  }

  @Get('models')
  listModels(@Req() request: FastifyRequest) {
    return this.models.list(request.headers);
  }

  /** Model ids may contain slashes (`meta-llama/Llama-3.1-8B`), hence the wildcard. */
  @Get('models/*')
  getModel(@Req() request: FastifyRequest) {
    const id = decodeURIComponent((request.params as Record<string, string>)['*'] ?? '');
    return this.models.get(request.headers, id);
  }
}
