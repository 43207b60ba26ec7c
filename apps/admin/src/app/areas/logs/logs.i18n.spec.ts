import { translationKeys } from '../../core/i18n/i18n';
import { LOGS_TRANSLATIONS } from './logs.i18n';

describe('request log texts', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(translationKeys(LOGS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(LOGS_TRANSLATIONS.en));
  });
});
