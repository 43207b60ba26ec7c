import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { TranslatePipe } from '@ngx-translate/core';

export interface KeySecretDialogData {
  readonly name: string;
  readonly secret: string;
  readonly rotated: boolean;
  /** When the old secret stops working after a rotation. */
  readonly previousValidUntil: string | null;
}

/**
 * The only time a gateway key's secret is shown: the page keeps it nowhere, so once this closes
 * it is gone (the gateway stores only its hash).
 */
@Component({
  selector: 'app-key-secret-dialog',
  imports: [MatDialogModule, MatButtonModule, MatIconModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>
      {{ (data.rotated ? 'keys.secret.rotatedTitle' : 'keys.secret.title') | translate: { name: data.name } }}
    </h2>
    <mat-dialog-content>
      <p class="warning" role="alert">
        <mat-icon svgIcon="warning" aria-hidden="true" />
        {{ 'keys.secret.warning' | translate }}
      </p>
      <div class="secret">
        <code data-testid="keys-secret">{{ data.secret }}</code>
        <button
          mat-stroked-button
          type="button"
          data-testid="keys-copy"
          [attr.aria-label]="'keys.secret.copy' | translate"
          (click)="copy()"
        >
          <mat-icon svgIcon="copy" aria-hidden="true" />
          {{ (copied() ? 'keys.secret.copied' : 'keys.secret.copy') | translate }}
        </button>
      </div>
      @if (data.rotated && data.previousValidUntil) {
        <p>{{ 'keys.secret.grace' | translate: { until: data.previousValidUntil } }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="keys-secret-done">
        {{ 'keys.secret.done' | translate }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .warning {
      display: flex;
      gap: 8px;
      align-items: center;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-medium);
    }
    .secret {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    code {
      padding: 8px 12px;
      border-radius: 6px;
      word-break: break-all;
      user-select: all;
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface);
      font-family: ui-monospace, monospace;
    }
  `,
})
export class KeySecretDialog {
  protected readonly data = inject<KeySecretDialogData>(MAT_DIALOG_DATA);
  private readonly clipboard = inject(Clipboard);
  protected readonly copied = signal(false);

  protected copy(): void {
    this.copied.set(this.clipboard.copy(this.data.secret));
  }
}
