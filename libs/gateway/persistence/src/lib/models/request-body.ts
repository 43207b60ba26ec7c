/**
 * The request and response bodies of one proxied call, kept only for keys or routes that capture
 * them (`captureBodies`), redacted and capped before they are stored.
 */
export interface RequestBody {
  /** The request log entry's id (`x-request-id`). */
  requestId: string;
  createdAt: Date;
  /** The caller's JSON body as received; null when there was none to keep. */
  request: string | null;
  /** The upstream's answer; for streams the assembled text of the deltas. */
  response: string | null;
  requestTruncated: boolean;
  responseTruncated: boolean;
}
