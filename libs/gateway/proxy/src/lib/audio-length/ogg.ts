import { streamInfoRate } from './flac';

const CAPTURE = Buffer.from('OggS');

/** The codec of an Ogg stream's first packet: its sample rate, and the samples its granule counts before the audio. */
export interface OggCodec {
  rate: number;
  preSkip: number;
}

/**
 * An Ogg file's length (Opus, Vorbis, FLAC or Speex): the granule position of its stream's last
 * page, in samples of the codec's rate. Opus counts at 48 kHz and starts after its pre-skip.
 */
export function oggSeconds(bytes: Buffer): number | undefined {
  const serial = bytes.readUInt32LE(14);
  const codec = codecOf(bytes, 27 + bytes[26]);
  if (!codec) return undefined;
  // Backwards from the end: the last page of the stream that ends a packet (granule -1: none does).
  let at = bytes.length;
  while (at > 0 && (at = bytes.lastIndexOf(CAPTURE, at - 1)) >= 0) {
    if (at + 27 > bytes.length || bytes[at + 4] !== 0 || bytes.readUInt32LE(at + 14) !== serial) continue;
    const granule = bytes.readBigInt64LE(at + 6);
    if (granule >= 0n) return Math.max(0, Number(granule) - codec.preSkip) / codec.rate;
  }
  return undefined;
}

/** The bytes of a first packet `codecOf` reads (Speex's rate is the farthest in). */
export const CODEC_HEADER_SPAN = 40;

/** The codec of the first packet at `packet`: Opus, Vorbis, Speex or FLAC. */
export function codecOf(bytes: Buffer, packet: number): OggCodec | undefined {
  const magic = (length: number, skip = 0) => bytes.toString('latin1', packet + skip, packet + skip + length);
  if (magic(8) === 'OpusHead') return { rate: 48_000, preSkip: bytes.readUInt16LE(packet + 10) };
  if (bytes[packet] === 1 && magic(6, 1) === 'vorbis') return { rate: bytes.readUInt32LE(packet + 12), preSkip: 0 };
  if (magic(8) === 'Speex   ') return { rate: bytes.readUInt32LE(packet + 36), preSkip: 0 };
  if (bytes[packet] === 0x7f && magic(4, 1) === 'FLAC') {
    // 0x7F FLAC, version, header count, then fLaC and the STREAMINFO block (after its 4-byte header).
    const rate = streamInfoRate(bytes, packet + 17);
    return rate > 0 ? { rate, preSkip: 0 } : undefined;
  }
  return undefined;
}
