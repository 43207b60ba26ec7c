import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';

/** For an account whose role reads no area: says so instead of an empty page. */
@Component({
  selector: 'app-welcome-page',
  imports: [TranslatePipe],
  template: `<p class="note" role="status" data-testid="shell-no-areas">{{ 'shell.noAreas' | translate }}</p>`,
  styles: `
    .note {
      font: var(--mat-sys-body-large);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WelcomePage {}
