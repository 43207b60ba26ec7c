import { registerEnumType } from '@nestjs/graphql';
import type { ChannelType } from '@synapse/gateway/config';

/** GraphQL names of the provider types (`openai` is OPENAI); the compiler checks the list is complete. */
export const ChannelTypeEnum = {
  OPENAI: 'openai',
  ANTHROPIC: 'anthropic',
  DIFY: 'dify',
  AZURE: 'azure',
  OLLAMA: 'ollama',
  GEMINI: 'gemini',
} as const satisfies { [T in ChannelType as Uppercase<T>]: T };

registerEnumType(ChannelTypeEnum, {
  name: 'ChannelType',
  description:
    "The upstream API a channel speaks. OPENAI: any OpenAI-compatible API. ANTHROPIC: Anthropic's native Messages API. DIFY: one Dify chat app (its app API key), reached as a model. AZURE: Azure OpenAI (deployments, api-version, api-key header). OLLAMA: Ollama's native /api/chat. GEMINI: Google's Gemini API (generateContent).",
});
