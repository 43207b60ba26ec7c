import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { filter, map, switchMap } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { listQuery } from '../../ui/list-query';
import { confirmAction } from '../keys/confirm-dialog';
import {
  DELETE_MODEL_PRICE,
  MODEL_PRICES,
  MODEL_PRICE_HISTORY,
  type ModelPrice,
  type ModelPriceChange,
} from './models.graphql';
import { PriceForm, type PriceFormData } from './price-form';

/**
 * Model prices: the runtime, config-file and built-in prices in the order the gateway asks them,
 * a model's runtime price history, and (for owners and admins) setting a runtime price or ending
 * one.
 */
@Component({
  selector: 'app-models-page',
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './models-page.html',
  styleUrls: ['../../ui/area-page.css', '../routes/routes.css'],
})
export class ModelsPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo
      .query({ query: MODEL_PRICES, fetchPolicy: 'network-only' })
      .pipe(map((result) => result.data?.modelPrices ?? [])),
  );
  protected readonly prices = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly actionError = signal<string | null>(null);
  protected readonly historyOf = signal<string | null>(null);
  protected readonly history = signal<ModelPriceChange[] | null>(null);
  protected readonly historyError = signal<string | null>(null);

  /** setModelPrice needs create and update. */
  protected readonly canSet = computed(
    () => this.ability.can('create', 'ModelPrice') && this.ability.can('update', 'ModelPrice'),
  );
  protected readonly canDelete = computed(() => this.ability.can('delete', 'ModelPrice'));
  protected readonly columns = ['model', 'input', 'output', 'cachedInput', 'units', 'source', 'actions'];

  constructor() {
    this.load();
  }

  load(): void {
    this.list.load();
  }

  protected openForm(price: ModelPrice | null): void {
    this.actionError.set(null);
    this.dialog
      .open<PriceForm, PriceFormData, ModelPrice>(PriceForm, { data: { price }, width: '520px' })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((saved) => {
        if (!saved) return;
        // Which prices are active depends on every table: read them again.
        this.load();
        if (this.historyOf() === saved.model) this.showHistory(saved.model);
      });
  }

  protected showHistory(model: string): void {
    this.historyOf.set(model);
    this.history.set(null);
    this.historyError.set(null);
    this.apollo
      .query({ query: MODEL_PRICE_HISTORY, variables: { model }, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => this.history.set(result.data?.modelPriceHistory ?? []),
        error: (error: unknown) => this.historyError.set(errorMessage(error)),
      });
  }

  protected remove(price: ModelPrice): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'models.delete.title',
      message: 'models.delete.message',
      params: { model: price.model },
      confirm: 'models.actions.delete',
      testId: 'models-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_MODEL_PRICE, variables: { model: price.model } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.load();
          if (this.historyOf() === price.model) this.showHistory(price.model);
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }
}
