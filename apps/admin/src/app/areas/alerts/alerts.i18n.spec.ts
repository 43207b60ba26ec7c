import { emptyTexts, translationKeys } from '../keys/testing/area-testing';
import { ALERTS_TRANSLATIONS } from './alerts.i18n';

describe('ALERTS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(ALERTS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(ALERTS_TRANSLATIONS.en));
    expect(emptyTexts(ALERTS_TRANSLATIONS.en)).toEqual([]);
    expect(emptyTexts(ALERTS_TRANSLATIONS['zh-CN'])).toEqual([]);
  });

  it('is written in Chinese, not copied from English', () => {
    const zh = ALERTS_TRANSLATIONS['zh-CN']['alerts'] as {
      tabs: Record<string, string>;
      status: Record<string, string>;
    };
    expect(zh.tabs).toEqual({ rules: '告警规则', channels: '通知渠道', history: '告警历史' });
    expect(zh.status['FIRING']).toBe('触发中');
    expect(zh.status['RESOLVED']).toBe('已恢复');
  });
});
