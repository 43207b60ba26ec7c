import { adtsSeconds, isAdts } from './adts';
import { flacSeconds } from './flac';
import { matroskaSeconds } from './matroska';
import { id3Length, mp3Seconds, mpegFrame } from './mp3';
import { mp4Seconds } from './mp4';
import { oggSeconds } from './ogg';
import { outOfBounds } from './out-of-bounds';
import { wavSeconds } from './wav';

/** Longer than any file an audio API takes (OpenAI's: 25 MB, ~25 minutes at 128 kbit/s): a header that says more is not believed. */
const MAX_SECONDS = 24 * 3600;

/**
 * How long an audio file plays, in seconds, read from its container's headers (or, for an MP3
 * without a frame count, its frames), as a decoder would: the formats OpenAI's transcriptions take
 * (FLAC, MP3, MP4/M4A, Ogg, WAV, WebM) and AAC in ADTS frames, recognised by their bytes, not their names. undefined for
 * anything else, or a file whose headers say nothing sensible. A file cut short reads as long as
 * what it holds, where its format allows.
 */
export function audioSeconds(bytes: Buffer): number | undefined {
  let seconds: number | undefined;
  try {
    seconds = measure(bytes);
  } catch (error) {
    // A header that points past the end of the file.
    if (!outOfBounds(error)) throw error;
  }
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_SECONDS
    ? seconds
    : undefined;
}

/** Seconds rounded up to whole ones, as audio APIs bill them: a call never counts as free. */
export function wholeSeconds(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.ceil(seconds);
}

function measure(bytes: Buffer): number | undefined {
  const magic = bytes.toString('latin1', 0, 4);
  if (magic === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE') return wavSeconds(bytes);
  if (magic === 'OggS') return oggSeconds(bytes);
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return matroskaSeconds(bytes);
  if (bytes.toString('latin1', 4, 8) === 'ftyp') return mp4Seconds(bytes);
  const start = afterId3(bytes);
  if (bytes.toString('latin1', start, start + 4) === 'fLaC') return flacSeconds(bytes, start);
  if (mpegFrame(bytes, start)) return mp3Seconds(bytes, start);
  if (isAdts(bytes, 0)) return adtsSeconds(bytes);
  return undefined;
}

/** Where the audio starts after any ID3v2 tags. */
function afterId3(bytes: Buffer): number {
  let at = 0;
  while (bytes.toString('latin1', at, at + 3) === 'ID3' && at + 10 <= bytes.length) at += id3Length(bytes, at);
  return at;
}
