import type { IngressFormat } from '../wire-format';
import { responsesToCanonical } from './responses-request';
import { canonicalToResponses } from './responses-response';
import { ResponsesStreamTranscoder } from './responses-stream';

/** Callers of OpenAI's Responses API (`POST /v1/responses`), served by any routed upstream. */
export const RESPONSES_INGRESS: IngressFormat = {
  name: 'responses',
  toCanonical: responsesToCanonical,
  fromCanonical: canonicalToResponses,
  streamTranscoder: (requestedModel, request) => new ResponsesStreamTranscoder(requestedModel, request),
};
