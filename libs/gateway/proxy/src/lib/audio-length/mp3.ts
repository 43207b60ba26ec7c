/** kbit/s by bitrate index: MPEG-1 layers I, II, III, then MPEG-2/2.5 layer I, then layers II and III. */
const BITRATES = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
/** Hz by sample rate index, for MPEG-1; MPEG-2 halves them, MPEG-2.5 quarters them. */
const RATES = [44_100, 48_000, 32_000];

/** An MPEG audio frame's header. */
export interface MpegFrame {
  mpeg1: boolean;
  mono: boolean;
  rate: number;
  samples: number;
  /** Bytes, header included. */
  length: number;
}

/** The frame header at `at`, or undefined when the four bytes there are not one (free bitrate included). */
export function mpegFrame(bytes: Buffer, at: number): MpegFrame | undefined {
  const length = frameLength(bytes, at);
  if (!length) return undefined;
  const version = (bytes[at + 1] >> 3) & 3;
  const layer = 4 - ((bytes[at + 1] >> 1) & 3);
  const mpeg1 = version === 3;
  return {
    mpeg1,
    mono: bytes[at + 3] >> 6 === 3,
    rate: RATES[(bytes[at + 2] >> 2) & 3] / (mpeg1 ? 1 : version === 2 ? 2 : 4),
    samples: layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152,
    length,
  };
}

/** The bytes of the frame at `at`, header included; 0 when there is none. No object: it runs once a frame. */
function frameLength(bytes: Buffer, at: number): number {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return 0;
  const version = (bytes[at + 1] >> 3) & 3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
  const layer = 4 - ((bytes[at + 1] >> 1) & 3); // 4: reserved
  const bitrateIndex = bytes[at + 2] >> 4;
  const rateIndex = (bytes[at + 2] >> 2) & 3;
  if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return 0;
  const mpeg1 = version === 3;
  const bitrate = BITRATES[mpeg1 ? layer - 1 : layer === 1 ? 3 : 4][bitrateIndex] * 1000;
  const rate = RATES[rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const padding = (bytes[at + 2] >> 1) & 1;
  if (layer === 1) return (Math.floor((12 * bitrate) / rate) + padding) * 4;
  const samples = layer === 3 && !mpeg1 ? 576 : 1152;
  return Math.floor((samples / 8) * (bitrate / rate)) + padding;
}

/**
 * An MP3 stream's length (its first frame at `start`): the frame count of a Xing/Info or VBRI
 * header when the encoder wrote one, else the frames counted one by one up to the first bytes
 * that are not a frame (an ID3v1 or APE tag at the end).
 */
export function mp3Seconds(bytes: Buffer, start: number): number | undefined {
  const first = mpegFrame(bytes, start);
  if (!first) return undefined;
  const frames = taggedFrames(bytes, start, first) ?? countedFrames(bytes, start);
  return frames > 0 ? (frames * first.samples) / first.rate : undefined;
}

/** The bytes of a frame that hold its Xing/Info or VBRI tag, if it has one. */
export const XING_SPAN = 54;

/** Where a Xing/Info tag would be in the frame at `at`: after the header and the side information. */
function xingAt(at: number, frame: MpegFrame): number {
  return at + 4 + (frame.mpeg1 ? (frame.mono ? 17 : 32) : frame.mono ? 9 : 17);
}

/** The encoder's tag in the frame at `at`, if it is one: Xing/Info after the side information, or VBRI 32 bytes in. */
function tagOf(
  bytes: Buffer,
  at: number,
  frame: MpegFrame,
): { kind: 'xing'; at: number } | { kind: 'vbri' } | undefined {
  const xing = xingAt(at, frame);
  const tag = bytes.toString('latin1', xing, xing + 4);
  if (tag === 'Xing' || tag === 'Info') return { kind: 'xing', at: xing };
  if (bytes.toString('latin1', at + 36, at + 40) === 'VBRI') return { kind: 'vbri' };
  return undefined;
}

/** Whether the frame at `at` is an encoder's Xing/Info or VBRI header, which holds no audio. */
export function isTagFrame(bytes: Buffer, at: number, frame: MpegFrame): boolean {
  return tagOf(bytes, at, frame) !== undefined;
}

/** The frame count in the encoder's tag: Xing/Info's when its flag 1 says it is there, VBRI's always. */
function taggedFrames(bytes: Buffer, at: number, frame: MpegFrame): number | undefined {
  const tag = tagOf(bytes, at, frame);
  if (tag?.kind === 'xing') return bytes.readUInt32BE(tag.at + 4) & 1 ? bytes.readUInt32BE(tag.at + 8) : undefined;
  if (tag?.kind === 'vbri') return bytes.readUInt32BE(at + 50);
  return undefined;
}

/** The bytes of the ID3v2 tag at `at` (MP3s carry them, some FLACs too): 10, a 28-bit size, a footer if flagged. */
export function id3Length(bytes: Buffer, at: number): number {
  const size = (bytes[at + 6] << 21) | (bytes[at + 7] << 14) | (bytes[at + 8] << 7) | bytes[at + 9];
  return 10 + size + (bytes[at + 5] & 0x10 ? 10 : 0);
}

function countedFrames(bytes: Buffer, start: number): number {
  let frames = 0;
  for (let at = start, length = frameLength(bytes, at); length; length = frameLength(bytes, at)) {
    frames++;
    at += length;
  }
  return frames;
}
