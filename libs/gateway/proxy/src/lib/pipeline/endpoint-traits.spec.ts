import { ENDPOINTS } from '@synapse/endpoints';
import { ENDPOINT_TRAITS, streamed } from './endpoint-traits';

describe('endpoint traits', () => {
  it('stream chat, completions, images and transcriptions when asked, speech always, the rest never', () => {
    const asked = ENDPOINTS.filter((endpoint) => streamed(endpoint, { stream: true }));
    const always = ENDPOINTS.filter((endpoint) => streamed(endpoint, {}));
    expect(always).toEqual(['audio.speech']);
    expect(asked.sort()).toEqual(
      [
        'chat.completions',
        'completions',
        'images.generations',
        'images.edits',
        'images.variations',
        'audio.speech',
        'audio.transcriptions',
        'audio.translations',
      ].sort(),
    );
    // A form's `stream` is read as the boolean true only; the string stays unstreamed.
    expect(streamed('audio.transcriptions', { stream: 'true' })).toBe(false);
  });

  it('count tokens with the tokenizer for text answers and embeddings only', () => {
    const counted = ENDPOINTS.filter((endpoint) => ENDPOINT_TRAITS[endpoint].counted);
    expect(counted).toEqual(['chat.completions', 'completions', 'embeddings']);
    expect(ENDPOINTS.filter((endpoint) => ENDPOINT_TRAITS[endpoint].textAnswers)).toEqual([
      'chat.completions',
      'completions',
    ]);
  });
});
