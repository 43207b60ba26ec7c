import { logsFilterForm, toRequestLogFilter, toTailFilter } from './logs-filter';

describe('the logs filter form', () => {
  it('sends the API chosen as the endpoint filter, to the search and the tail, and nothing for any', () => {
    const form = logsFilterForm();
    expect(toRequestLogFilter(form.getRawValue())).toEqual({});
    form.controls.endpoint.setValue('audio.transcriptions');
    form.controls.route.setValue(' whisper ');
    expect(toRequestLogFilter(form.getRawValue())).toEqual({ endpoint: 'audio.transcriptions', route: 'whisper' });
    expect(toTailFilter(form.getRawValue())).toEqual({ endpoint: 'audio.transcriptions', routeName: 'whisper' });
  });
});
