import { AUDIO_FIXTURE_SECONDS, audioFixture as fixture } from '@synapse/testing';
import fc from 'fast-check';
import { audioSeconds } from './audio-length';

describe('audioSeconds', () => {
  it.each(Object.entries(AUDIO_FIXTURE_SECONDS))('reads %s as ffprobe does (%d s)', (name, seconds) => {
    // Within 0.15 s: an AAC encoder's priming samples are in the frames, which ffprobe's estimate leaves out.
    expect(Math.abs((audioSeconds(fixture(name)) ?? 0) - seconds)).toBeLessThan(0.15);
  });

  it('reads a FLAC behind an ID3v2 tag, as some taggers write it', () => {
    const tag = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x05', 'latin1'), Buffer.alloc(5)]);
    expect(audioSeconds(Buffer.concat([tag, fixture('tone.flac')]))).toBeCloseTo(7.3, 2);
  });

  describe('a file cut short', () => {
    const half = (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1);

    it('reads what it holds where the format allows: MP3 frames, WebM blocks, WAV data, Ogg pages', () => {
      expect(audioSeconds(half(fixture('tone-no-xing.mp3')))).toBeCloseTo(3.69, 0);
      expect(audioSeconds(half(fixture('tone-live.webm')))).toBeCloseTo(3.65, 0);
      expect(audioSeconds(half(fixture('tone.wav')))).toBeCloseTo(1.15, 1);
      expect(audioSeconds(half(fixture('tone.opus.ogg')))).toBeCloseTo(3.65, 0);
    });

    it('reads the length its headers state when they come first (FLAC, an MP3 with a frame count, a fast-start M4A)', () => {
      expect(audioSeconds(half(fixture('tone.flac')))).toBeCloseTo(7.3, 2);
      expect(audioSeconds(half(fixture('tone.mp3')))).toBeCloseTo(7.38, 2);
      expect(audioSeconds(half(fixture('tone-faststart.m4a')))).toBeCloseTo(7.3, 2);
    });

    it('reads nothing from an M4A whose movie header was at the end', () => {
      expect(audioSeconds(half(fixture('tone.m4a')))).toBeUndefined();
    });
  });

  it('reads nothing from what is not audio it knows', () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('not audio at all'),
      Buffer.from('{"model":"whisper-1"}'),
      Buffer.from('RIFF\x00\x00\x00\x00WAVE', 'latin1'),
      Buffer.from('OggS'),
      Buffer.from('ID3'),
      Buffer.from([0xff, 0xfb]),
      Buffer.alloc(4096, 0xff),
    ]) {
      expect(audioSeconds(bytes)).toBeUndefined();
    }
  });

  it('does not believe a header that claims more than a day', () => {
    const flac = Buffer.from(fixture('tone.flac'));
    // STREAMINFO's total samples (36 bits from byte 13 of its data, which starts at 8): all ones.
    flac[8 + 13] |= 0x0f;
    flac.writeUInt32BE(0xffffffff, 8 + 14);
    expect(audioSeconds(flac)).toBeUndefined();
  });

  it('never throws on damaged files and always answers a length in (0, 1 day] or nothing (seeded)', () => {
    const files = Object.keys(AUDIO_FIXTURE_SECONDS).map(fixture);
    fc.assert(
      fc.property(
        fc.nat(files.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 16 }),
        fc.nat(),
        (which, flips, cut) => {
          const bytes = Buffer.from(files[which]);
          // Damage the headers most: a flip lands in the first 256 bytes half of the time.
          for (const [at, value] of flips) bytes[at % 2 ? at % 256 : at % bytes.length] = value;
          const seconds = audioSeconds(bytes.subarray(0, bytes.length - (cut % 64)));
          return seconds === undefined || (seconds > 0 && seconds <= 86_400);
        },
      ),
      { seed: 20261207, numRuns: 3000 },
    );
  });

  it('never throws on random bytes behind each format magic (seeded)', () => {
    const magics = [
      'RIFF\0\0\0\0WAVE',
      'OggS',
      '\x1a\x45\xdf\xa3',
      '\0\0\0\x18ftyp',
      'fLaC',
      'ID3\x04\0\0\0\0\0\0',
      '\xff\xfb\x90\x64',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), (magic, rest) => {
        const seconds = audioSeconds(Buffer.concat([Buffer.from(magic, 'latin1'), rest]));
        return seconds === undefined || (seconds > 0 && seconds <= 86_400);
      }),
      { seed: 7, numRuns: 5000 },
    );
  });
});
