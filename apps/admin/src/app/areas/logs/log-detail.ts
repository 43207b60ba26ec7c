import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessage } from '../../core/error-message';
import { formatCount, formatMs, formatTime, formatUsd } from '../../core/format';
import { LanguageService } from '../../core/i18n/i18n';
import { NamesService } from '../../core/names.service';
import { REQUEST_LOG } from './logs.graphql';

/** One call of the request log, read with its captured bodies (`requestLog(id)`). */
@Component({
  selector: 'app-log-detail',
  imports: [TranslatePipe, MatButtonModule, MatIconModule],
  templateUrl: './log-detail.html',
  styleUrl: './log-detail.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LogDetail {
  private readonly apollo = inject(Apollo);
  private readonly names = inject(NamesService);
  private readonly language = inject(LanguageService);

  readonly id = input.required<string>();
  readonly closed = output<void>();

  protected readonly call = rxResource({
    params: () => ({ id: this.id() }),
    stream: ({ params }) =>
      this.apollo
        .query({ query: REQUEST_LOG, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((result) => result.data?.requestLog ?? null)),
  });
  protected readonly error = computed(() => {
    const error = this.call.error();
    return error ? errorMessage(error) : null;
  });

  protected readonly view = computed(() => {
    const call = this.call.hasValue() ? this.call.value() : null;
    if (!call) return null;
    const locale = this.language.current();
    return {
      ...call,
      time: formatTime(call.createdAt, locale),
      key: this.names.label('KEY', call.keyId),
      user: this.names.label('USER', call.userId),
      team: this.names.label('TEAM', call.teamId),
      channel: this.names.label('CHANNEL', call.channelId),
      latency: formatMs(call.latencyMs),
      ttft: formatMs(call.ttftMs),
      prompt: formatCount(call.promptTokens, locale),
      completion: formatCount(call.completionTokens, locale),
      cached: formatCount(call.cachedTokens, locale),
      audio: call.audioSeconds === null ? null : `${formatCount(call.audioSeconds, locale)} s`,
      total: formatCount(call.totalTokens, locale),
      cost: formatUsd(call.costUsd, locale),
      requestBody: pretty(call.body?.request ?? null),
      responseBody: pretty(call.body?.response ?? null),
    };
  });
}

/** JSON bodies indented; anything else (a streamed answer's text, a cut body) as it is. */
function pretty(body: string | null): string | null {
  if (body == null) return null;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
