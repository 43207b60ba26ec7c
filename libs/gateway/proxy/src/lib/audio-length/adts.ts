/** Hz by ADTS sampling frequency index. */
const RATES = [96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350];

/** Whether the bytes at `at` start like an ADTS header (a sync word and the layer bits MPEG audio never has). */
export function isAdts(bytes: Buffer, at: number): boolean {
  return bytes[at] === 0xff && (bytes[at + 1] & 0xf6) === 0xf0;
}

/**
 * The ADTS frame (AAC) whose 7-byte header is at `at`: its length in bytes, its samples (1,024 a
 * raw data block, up to four blocks a frame) and their rate; undefined when there is none.
 */
export function adtsFrame(bytes: Buffer, at: number): { length: number; samples: number; rate: number } | undefined {
  if (at + 7 > bytes.length || !isAdts(bytes, at)) return undefined;
  const rate = RATES[(bytes[at + 2] >> 2) & 0x0f];
  const length = ((bytes[at + 3] & 0x03) << 11) | (bytes[at + 4] << 3) | (bytes[at + 5] >> 5);
  if (!rate || length < 7) return undefined;
  return { length, samples: 1024 * ((bytes[at + 6] & 0x03) + 1), rate };
}

/** A raw AAC stream's length: its frames walked to the first bytes that are not one. */
export function adtsSeconds(bytes: Buffer): number | undefined {
  let samples = 0;
  let rate = 0;
  for (let at = 0, frame = adtsFrame(bytes, 0); frame; frame = adtsFrame(bytes, at)) {
    samples += frame.samples;
    rate ||= frame.rate;
    at += frame.length;
  }
  return samples ? samples / rate : undefined;
}
