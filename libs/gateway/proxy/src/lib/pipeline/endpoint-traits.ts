import type { Endpoint } from '@synapse/endpoints';

/** What the pipeline does differently from one proxied API to another. */
export interface EndpointTraits {
  /**
   * How its answers come: `never` streamed (embeddings, moderations, reranking), streamed when the
   * caller sends `stream: true` (chat, completions, images' and transcriptions' events), or
   * `always` relayed as they arrive (speech: audio bytes, or events with `stream_format: "sse"`).
   */
  streams: 'never' | 'when asked' | 'always';
  /**
   * Chat and text completions: the answers whose events and whole form the gateway can turn into
   * each other, whose streams it asks for usage, and whose tokens its tokenizer counts when the
   * upstream reports none.
   */
  textAnswers: boolean;
  /**
   * Usage the tokenizer can count when the upstream reports none (text answers and embeddings).
   * The others are free (moderations) or priced only by what the upstream reports (images,
   * reranking, audio): an answer of those without usage is logged without tokens or cost.
   */
  counted: boolean;
  /** The field whose characters a price per million characters charges (speech's `input`: tts-1). */
  charactersOf?: 'input';
  /**
   * The form field whose audio a price per minute charges, by its length read from the file, when
   * the answer does not say it (whisper-1 in `text`, `srt` or `vtt`), and reserves before the call.
   */
  secondsOf?: 'file';
}

const TEXT: EndpointTraits = { streams: 'when asked', textAnswers: true, counted: true };
const EVENTS: EndpointTraits = { streams: 'when asked', textAnswers: false, counted: false };
const WHOLE: EndpointTraits = { streams: 'never', textAnswers: false, counted: false };

/** One row per API: a new one in @synapse/endpoints does not compile until it is given its row here. */
export const ENDPOINT_TRAITS: Readonly<Record<Endpoint, EndpointTraits>> = {
  'chat.completions': TEXT,
  completions: TEXT,
  embeddings: { ...WHOLE, counted: true },
  moderations: WHOLE,
  rerank: WHOLE,
  'images.generations': EVENTS,
  'images.edits': EVENTS,
  'images.variations': EVENTS,
  'audio.speech': { streams: 'always', textAnswers: false, counted: false, charactersOf: 'input' },
  'audio.transcriptions': { ...EVENTS, secondsOf: 'file' },
  'audio.translations': { ...EVENTS, secondsOf: 'file' },
};

/** Whether a call is relayed as it arrives. */
export function streamed(endpoint: Endpoint, body: Record<string, unknown>): boolean {
  const { streams } = ENDPOINT_TRAITS[endpoint];
  return streams === 'always' || (streams === 'when asked' && body['stream'] === true);
}
