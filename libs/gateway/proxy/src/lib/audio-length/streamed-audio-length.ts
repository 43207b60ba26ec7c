import { adtsFrame, isAdts } from './adts';
import { flacSeconds } from './flac';
import { id3Length, isTagFrame, mpegFrame, XING_SPAN } from './mp3';
import { CODEC_HEADER_SPAN, codecOf, type OggCodec } from './ogg';

/**
 * One container's units (frames, pages, chunks) as they pass. `next` is given the first bytes of
 * the unit at `offset` (at least `minimum`) and answers the unit's length in bytes, or how many
 * bytes of it it needs to see first (negative), or 0: no unit here, measuring stops.
 */
interface Framing {
  readonly minimum: number;
  next(head: Buffer, offset: number): number;
  seconds(total: number): number | undefined;
}

const EMPTY = Buffer.alloc(0);

/**
 * How long audio plays, measured as its bytes pass, a chunk at a time, without keeping them: for
 * answers relayed as they arrive (text to speech). Known by its first bytes: MP3 (behind ID3v2
 * tags), AAC in ADTS frames, Ogg (Opus, Vorbis, Speex, FLAC), WAV, FLAC (when its STREAMINFO has the sample
 * count, which a stream may not); when the caller asked for `pcm`, OpenAI's raw 24 kHz 16-bit mono.
 */
export class StreamedAudioLength {
  private framing: Framing | undefined;
  /** The format is unknown, or its units ended: the bytes still count (WAV, PCM), their framing no more. */
  private done = false;
  private total = 0;
  /** Where the unit being read starts. */
  private offset = 0;
  /** Its first bytes, gathered across chunks until `need` are there. */
  private head: Buffer = EMPTY;
  /** Enough for any format's magic. */
  private need = 12;
  /** Bytes of the current unit still to pass over. */
  private skip = 0;

  /** `declared`: the format the caller asked for (`response_format`). */
  constructor(private readonly declared: unknown) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let at = 0;
    while (!this.done) {
      if (this.skip > 0) {
        const passed = Math.min(this.skip, chunk.length - at);
        this.skip -= passed;
        at += passed;
      }
      if (this.skip > 0) return;
      if (this.head.length < this.need) {
        const more = chunk.subarray(at, at + this.need - this.head.length);
        this.head = this.head.length ? Buffer.concat([this.head, more]) : more;
        at += more.length;
        if (this.head.length < this.need) return;
      }
      if (!this.framing) {
        this.framing = framingOf(this.head, this.declared);
        // The magic's bytes may be fewer than the format's first unit needs.
        if (this.framing && this.head.length < this.framing.minimum) {
          this.need = this.framing.minimum;
          continue;
        }
      }
      const length = this.framing?.next(this.head, this.offset) ?? 0;
      if (length < 0) {
        this.need = this.head.length - length;
        continue;
      }
      if (length === 0) {
        this.done = true;
        return;
      }
      // A unit shorter than the bytes gathered for it: the rest of them start the next one.
      this.skip = Math.max(0, length - this.head.length);
      this.head = length < this.head.length ? this.head.subarray(length) : EMPTY;
      this.offset += length;
      this.need = Math.max(this.framing?.minimum ?? 0, 1);
    }
  }

  /** Seconds of the audio passed so far; undefined when its format is unknown or says nothing. */
  get seconds(): number | undefined {
    const seconds = this.framing?.seconds(this.total);
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  }
}

function framingOf(head: Buffer, declared: unknown): Framing | undefined {
  // Raw samples have no magic, and may start with any bytes (a loud one looks like a frame sync).
  if (declared === 'pcm') return new PcmFraming();
  const magic = head.toString('latin1', 0, 4);
  if (magic === 'OggS') return new OggFraming();
  if (magic === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return new WavFraming();
  if (magic === 'fLaC') return new FlacFraming();
  if (isAdts(head, 0)) return new AdtsFraming();
  if (magic.startsWith('ID3') || mpegFrame(head, 0)) return new Mp3Framing();
  return undefined;
}

class Mp3Framing implements Framing {
  readonly minimum = 4;
  private frames = 0;
  private samples = 0;
  private rate = 0;

  next(head: Buffer): number {
    if (head.toString('latin1', 0, 3) === 'ID3') return head.length < 10 ? -(10 - head.length) : id3Length(head, 0);
    const frame = mpegFrame(head, 0);
    if (!frame) return 0;
    if (!this.rate) {
      // The first frame may be a Xing/Info or VBRI header, which holds no audio.
      const wanted = Math.min(frame.length, XING_SPAN);
      if (head.length < wanted) return -(wanted - head.length);
      this.samples = frame.samples;
      this.rate = frame.rate;
      if (isTagFrame(head, 0, frame)) return frame.length;
    }
    this.frames++;
    return frame.length;
  }

  seconds(): number | undefined {
    return this.frames ? (this.frames * this.samples) / this.rate : undefined;
  }
}

/** AAC in ADTS frames. */
class AdtsFraming implements Framing {
  readonly minimum = 7;
  private samples = 0;
  private rate = 0;

  next(head: Buffer): number {
    const frame = adtsFrame(head, 0);
    if (!frame) return 0;
    this.rate ||= frame.rate;
    this.samples += frame.samples;
    return frame.length;
  }

  seconds(): number | undefined {
    return this.samples ? this.samples / this.rate : undefined;
  }
}

/** Ogg pages: the granule position of the stream's last page that has one, at the codec's rate. */
class OggFraming implements Framing {
  readonly minimum = 27;
  private serial: number | undefined;
  private codec: OggCodec | undefined;
  private granule = -1;

  next(head: Buffer): number {
    if (head.toString('latin1', 0, 4) !== 'OggS') return 0;
    const segments = head[26];
    // The first page: its codec's header too, for the rate and pre-skip.
    const wanted = 27 + segments + (this.serial === undefined ? CODEC_HEADER_SPAN : 0);
    if (head.length < wanted) return -(wanted - head.length);
    let length = 27 + segments;
    for (let i = 0; i < segments; i++) length += head[27 + i];
    if (this.serial === undefined) {
      this.serial = head.readUInt32LE(14);
      this.codec = codecOf(head, 27 + segments);
      if (!this.codec?.rate) return 0;
    } else if (head.readUInt32LE(14) === this.serial) {
      const granule = Number(head.readBigInt64LE(6));
      if (granule >= 0) this.granule = granule;
    }
    return length;
  }

  seconds(): number | undefined {
    const { codec, granule } = this;
    return codec && granule > 0 ? Math.max(0, granule - codec.preSkip) / codec.rate : undefined;
  }
}

/** WAV: the bytes after the `data` chunk's header over the `fmt ` chunk's byte rate. */
class WavFraming implements Framing {
  readonly minimum = 8;
  private byteRate = 0;
  private dataStart = -1;
  private started = false;

  next(head: Buffer, offset: number): number {
    if (!this.started) {
      this.started = true;
      // RIFF, its size, WAVE: then the chunks.
      return 12;
    }
    const id = head.toString('latin1', 0, 4);
    const size = head.readUInt32LE(4);
    if (id === 'fmt ') {
      if (head.length < 20) return -(20 - head.length);
      this.byteRate = head.readUInt32LE(16);
    } else if (id === 'data') {
      this.dataStart = offset + 8;
      // The rest is samples: nothing more to frame (minimum 0 keeps the framing).
      return 0;
    }
    return 8 + size + (size & 1);
  }

  seconds(total: number): number | undefined {
    return this.dataStart >= 0 && this.byteRate ? (total - this.dataStart) / this.byteRate : undefined;
  }
}

/** FLAC: STREAMINFO's sample count, when the encoder knew it before the stream started. */
class FlacFraming implements Framing {
  readonly minimum = 42;
  private length: number | undefined;

  next(head: Buffer): number {
    if (head.length < this.minimum) return -(this.minimum - head.length);
    this.length = flacSeconds(head, 0);
    return 0;
  }

  seconds(): number | undefined {
    return this.length;
  }
}

/** OpenAI's `pcm`: raw 16-bit samples at 24 kHz, one channel, no header. */
class PcmFraming implements Framing {
  readonly minimum = 0;

  next(): number {
    return 0;
  }

  seconds(total: number): number | undefined {
    return total / 48_000;
  }
}
