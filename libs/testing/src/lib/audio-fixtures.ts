import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, 'audio');

/**
 * Short recordings of a tone in each format audio APIs take, made by ffmpeg (audio/make-fixtures.sh),
 * by file name, with the length ffprobe reads in each.
 */
export const AUDIO_FIXTURE_SECONDS: Readonly<Record<string, number>> = JSON.parse(
  readFileSync(join(DIR, 'lengths.json'), 'utf8'),
);

export function audioFixture(name: string): Buffer {
  return readFileSync(join(DIR, name));
}
