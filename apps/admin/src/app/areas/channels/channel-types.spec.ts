import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL_TYPES } from './channels.graphql';
import { CHANNELS_TRANSLATIONS } from './channels.i18n';

/** The channel types of the gateway's generated schema, read from the file a gateway spec keeps current. */
function schemaChannelTypes(): string[] {
  const schema = readFileSync(join(__dirname, '../../../../../gateway/schema.gql'), 'utf8');
  const body = /enum ChannelType \{([^}]*)\}/.exec(schema)?.[1] ?? '';
  return body.split(/\s+/).filter(Boolean).sort();
}

describe('channel types', () => {
  it('offers every type the API has, and no other', () => {
    expect([...CHANNEL_TYPES].sort()).toEqual(schemaChannelTypes());
  });

  it('names each type in both languages', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const types = (CHANNELS_TRANSLATIONS[lang]['channels'] as { types: Record<string, string> }).types;
      expect(Object.keys(types).sort()).toEqual([...CHANNEL_TYPES].sort());
    }
  });
});
