import type OpenAI from 'openai';

/** The function tool the channel-type specs send in OpenAI's format, to see each translate it. */
export const WEATHER_TOOL: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
