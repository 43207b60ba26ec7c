/**
 * A multipart/form-data body (RFC 7578) read in place: where each part's content lies in the
 * caller's bytes, and its name, filename and type. Nothing is copied; a file's content is only
 * skipped over with Buffer#indexOf (~2 ms for 20 MiB, where undici's `Response#formData` took
 * 11-120 ms of the event loop and copied every file twice).
 */
export interface MultipartPart {
  name: string;
  /** Set for a file part (a `filename` parameter, even an empty one). */
  filename: string | undefined;
  /** The part's Content-Type, '' when it has none. */
  type: string;
  /** The content: bytes [start, end) of the body. */
  start: number;
  end: number;
}

/** Why a body is not a form, in words for the caller's 400. */
export class MultipartError extends Error {}

/** A part's headers past this are not a form's (browsers, curl and the SDKs send ~100-200 bytes). */
const MAX_PART_HEADER_BYTES = 8 * 1024;
/**
 * Content-Disposition parameters at most (forms use name, filename and filename*): 3,500 of them
 * in each of 1,000 parts held the event loop ~0.5 s.
 */
const MAX_DISPOSITION_PARAMS = 8;
/** Header lines of a part at most (forms send one to three). */
const MAX_PART_HEADER_LINES = 16;
/**
 * Parts in one form at most: OpenAI's take a dozen fields and up to 16 images, Dify's two. 20 MiB
 * of empty parts (400,000) held the event loop 1.7 s; 1,000 take ~4 ms.
 */
export const MAX_PARTS = 1_000;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The parts of a body sent under `contentType` (multipart/form-data with its boundary). Throws MultipartError. */
export function formParts(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MultipartError('its Content-Type has no boundary');
  return parseMultipart(body, boundary);
}

/** The `boundary` parameter of a multipart Content-Type, quoted or not; undefined if there is none. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The parts of `body`, in order. Throws MultipartError on anything but a complete, well-formed form. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first boundary opens the body or follows a preamble (which is ignored) and its line end.
  let at = 0;
  if (!body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    const first = body.indexOf(delimiter);
    if (first === -1) throw new MultipartError('no boundary line was found');
    at = first + CRLF.length;
  }
  at += dashBoundary.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) {
      if (parts.length === 0) throw new MultipartError('the form has no parts');
      return parts;
    }
    // Transport padding (spaces and tabs) may follow a boundary before its line end.
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== CRLF[0] || body[at + 1] !== CRLF[1]) throw new MultipartError('a boundary line is malformed');
    at += 2;
    // From the boundary line's own CRLF: a part without headers is that CRLF and an empty line.
    const headersEnd = body.indexOf(HEADERS_END, at - 2);
    if (headersEnd === -1 || headersEnd - at > MAX_PART_HEADER_BYTES) {
      throw new MultipartError("a part's headers do not end");
    }
    const headers = headersEnd < at ? '' : body.toString('latin1', at, headersEnd);
    const start = headersEnd + HEADERS_END.length;
    // From the blank line's CRLF: a part with no body at all (RFC 2046: `[CRLF *OCTET]` left out)
    // has the delimiter's CRLF right after its headers' end, and its content ends where it starts.
    const end = body.indexOf(delimiter, start - 2);
    if (end === -1) throw new MultipartError('the form does not end with its closing boundary');
    if (parts.length === MAX_PARTS) throw new MultipartError(`the form has more than ${MAX_PARTS} parts`);
    parts.push({ ...describedPart(headers), start, end: Math.max(end, start) });
    at = end + delimiter.length;
  }
}

/** A part's name, filename and type from its header lines. */
function describedPart(headers: string): Pick<MultipartPart, 'name' | 'filename' | 'type'> {
  let disposition: string | undefined;
  let type = '';
  for (let at = 0, count = 1; at <= headers.length; count++) {
    if (count > MAX_PART_HEADER_LINES) throw new MultipartError('a part has too many header lines');
    const lineEnd = headers.indexOf('\r\n', at);
    const line = headers.slice(at, lineEnd === -1 ? headers.length : lineEnd);
    at = lineEnd === -1 ? headers.length + 1 : lineEnd + 2;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError("a part's header line is malformed");
    const field = line.slice(0, colon).trim().toLowerCase();
    if (field === 'content-disposition') disposition = line.slice(colon + 1);
    else if (field === 'content-type') type = line.slice(colon + 1).trim();
  }
  if (!disposition || !/^\s*form-data\s*(;|$)/i.test(disposition)) {
    throw new MultipartError('a part has no Content-Disposition: form-data header');
  }
  const params = dispositionParams(disposition);
  const name = params.get('name');
  if (name === undefined) throw new MultipartError('a part has no name');
  const extended = params.get('filename*');
  const plain = params.get('filename');
  const filename = extended !== undefined ? decodedExtended(extended) : plain === undefined ? undefined : utf8(plain);
  return { name: utf8(name), filename, type };
}

/** `form-data; name="a"; filename="b.wav"` as a map of lower-cased parameter names to values. */
function dispositionParams(disposition: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]*))/g;
  let count = 0;
  for (let match = pattern.exec(disposition); match; match = pattern.exec(disposition)) {
    if (++count > MAX_DISPOSITION_PARAMS) {
      throw new MultipartError('a Content-Disposition header has too many parameters');
    }
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
    const key = match[1].toLowerCase();
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}

/** RFC 5987's `utf-8''a%20b.wav`. */
function decodedExtended(value: string): string {
  try {
    const quotes = value.indexOf("''");
    return decodeURIComponent(quotes === -1 ? value : value.slice(quotes + 2));
  } catch {
    throw new MultipartError('a filename* parameter is malformed');
  }
}

/**
 * Header text was read as latin1 (one char a byte); names and filenames are UTF-8 in practice,
 * with the three escapes browsers and undici write for a quote and line ends (the HTML spec's).
 */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1')
    .toString('utf8')
    .replace(/%(?:22|0D|0A)/gi, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
}
