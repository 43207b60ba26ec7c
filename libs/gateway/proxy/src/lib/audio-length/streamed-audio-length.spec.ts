import { audioFixture } from '@synapse/testing';
import fc from 'fast-check';
import { audioSeconds } from './audio-length';
import { StreamedAudioLength } from './streamed-audio-length';

/** The formats a speech answer comes in (mp3, opus, aac, flac, wav), and Vorbis and FLAC in Ogg. */
const STREAMED = [
  'tone.mp3',
  'tone-no-xing.mp3',
  'tone-vbr.mp3',
  'tone.aac',
  'tone.opus.ogg',
  'tone.vorbis.ogg',
  'tone.flac.ogg',
  'tone.flac',
  'tone.wav',
  'tone-piped.wav',
];

function measured(bytes: Buffer, cuts: readonly number[], declared?: string): number | undefined {
  const meter = new StreamedAudioLength(declared);
  let at = 0;
  for (const cut of [...new Set(cuts.map((cut) => cut % bytes.length))].sort((a, b) => a - b)) {
    meter.push(bytes.subarray(at, cut));
    at = cut;
  }
  meter.push(bytes.subarray(at));
  return meter.seconds;
}

describe('StreamedAudioLength', () => {
  it.each(STREAMED)('measures %s as it passes as the whole file reads, however it is cut (seeded)', (name) => {
    const bytes = audioFixture(name);
    const whole = audioSeconds(bytes);
    expect(whole).toBeGreaterThan(2);
    expect(measured(bytes, [])).toBe(whole);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => measured(bytes, cuts) === whole),
      { seed: 20261207, numRuns: 200 },
    );
    // A byte at a time: every header split across chunks.
    expect(
      measured(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    ).toBe(whole);
  });

  it('measures what passed of an answer that broke off', () => {
    const mp3 = audioFixture('tone-no-xing.mp3');
    expect(measured(mp3.subarray(0, mp3.length >> 1), [1000])).toBeCloseTo(3.69, 0);
    const opus = audioFixture('tone.opus.ogg');
    expect(measured(opus.subarray(0, opus.length >> 1), [100])).toBeCloseTo(3.65, 0);
  });

  it("takes raw bytes as OpenAI's pcm (24 kHz, 16-bit, mono) only when the caller asked for pcm", () => {
    const samples = Buffer.alloc(24_000 * 2 * 2.5, 1);
    expect(measured(samples, [7, 9000], 'pcm')).toBe(2.5);
    // Samples that start like an MP3 frame are samples still.
    const loud = Buffer.concat([audioFixture('tone-no-xing.mp3').subarray(0, 400), samples]).subarray(
      0,
      samples.length,
    );
    expect(measured(loud, [7], 'pcm')).toBe(2.5);
    expect(measured(samples, [7, 9000])).toBeUndefined();
    expect(measured(samples, [7, 9000], 'mp3')).toBeUndefined();
  });

  it('measures nothing of what is not audio it knows, or an MP3 tag with no frames behind it', () => {
    expect(measured(Buffer.from('{"error":{"message":"no"}}'), [])).toBeUndefined();
    expect(measured(Buffer.alloc(0), [])).toBeUndefined();
    const tagThenFiller = Buffer.concat([
      Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
      Buffer.alloc(3000, 0x55),
    ]);
    expect(measured(tagThenFiller, [10, 2058])).toBeUndefined();
  });

  it('never throws on damaged audio in any chunks, and answers a length or nothing (seeded)', () => {
    const files = STREAMED.map(audioFixture);
    fc.assert(
      fc.property(
        fc.nat(files.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 16 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (which, flips, cuts) => {
          const bytes = Buffer.from(files[which]);
          for (const [at, value] of flips) bytes[at % 2 ? at % 128 : at % bytes.length] = value;
          const seconds = measured(bytes, cuts);
          return seconds === undefined || (seconds > 0 && Number.isFinite(seconds));
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });
});
