import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import { allByTestId, byTestId, configureAreaTest, hasTestId, settle, typeInto } from '../keys/testing/area-testing';
import { ModelsPage } from './models-page';
import {
  DELETE_MODEL_PRICE,
  MODEL_PRICES,
  MODEL_PRICE_HISTORY,
  SET_MODEL_PRICE,
  type ModelPrice,
  type ModelPriceChange,
} from './models.graphql';
import { MODELS_TRANSLATIONS } from './models.i18n';

function price(overrides: Partial<ModelPrice> = {}): ModelPrice {
  return {
    __typename: 'ModelPrice',
    model: 'gpt-4o*',
    input: 2.5,
    output: 10,
    cachedInput: 1.25,
    perCall: null,
    perMinute: null,
    perMillionCharacters: null,
    source: 'runtime',
    active: true,
    createdBy: 'admin@example.com',
    effectiveFrom: '2026-12-01T10:00:00Z',
    ...overrides,
  } as ModelPrice;
}

function change(overrides: Partial<ModelPriceChange> = {}): ModelPriceChange {
  return {
    __typename: 'ModelPriceChange',
    id: 'p1',
    model: 'gpt-4o*',
    input: 2.5,
    output: 10,
    cachedInput: null,
    perCall: null,
    perMinute: null,
    perMillionCharacters: null,
    createdBy: 'admin@example.com',
    deleted: false,
    effectiveFrom: '2026-12-01T10:00:00Z',
    ...overrides,
  } as ModelPriceChange;
}

describe(ModelsPage.name, () => {
  let fixture: ComponentFixture<ModelsPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(ModelsPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answer = async (prices: ModelPrice[]) => {
    controller.expectOne(MODEL_PRICES).flush({ data: { modelPrices: prices } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };
  const fieldErrors = () => Array.from(document.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());

  beforeEach(() => {
    configureAreaTest(ModelsPage, MODELS_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an admin', () => {
    beforeEach(async () => {
      signInAs('admin');
      await render();
    });

    it('lists prices per million tokens with their source; only runtime ones can be deleted', async () => {
      await answer([price(), price({ model: 'gpt-4o', source: 'default', cachedInput: null, active: false })]);
      const rows = allByTestId('models-row', page);
      expect(rows).toHaveLength(2);
      expect(rows[0].textContent).toContain('$2.5');
      expect(rows[0].textContent).toContain('$10');
      expect(rows[0].textContent).toContain('$1.25');
      expect(rows[0].textContent).toContain('Runtime');
      expect(rows[1].textContent).toContain('Built-in default');
      expect(rows[1].textContent).toContain('as input');
      expect(rows[1].textContent).toContain('overridden');
      expect(allByTestId('models-delete', page)).toHaveLength(1);
      expect(allByTestId('models-edit', page)).toHaveLength(2);
      expect(hasTestId('models-new', page)).toBe(true);
    });

    it('shows a loading state, then an empty state', async () => {
      expect(page.querySelector('mat-progress-bar')).not.toBeNull();
      await answer([]);
      expect(byTestId('models-empty', page).textContent).toContain('No prices.');
    });

    it('shows a GraphQL error as text', async () => {
      controller
        .expectOne(MODEL_PRICES)
        .graphqlErrors([new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } })]);
      await settle(fixture);
      expect(byTestId('models-error', page).textContent).toContain('nope (FORBIDDEN)');
    });

    it('checks the price fields and sends nothing while one is wrong', async () => {
      await answer([]);
      await click('models-new');
      typeInto('models-field-model', '');
      typeInto('models-field-input', '-1');
      typeInto('models-field-output', '');
      typeInto('models-field-cachedInput', '20000');
      await click('models-save', document);
      expect(fieldErrors()).toEqual(['Required.', 'Enter 0 or more.', 'Required.', 'Enter at most 10,000.']);
      expect(byTestId('models-field-input').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId('models-field-model').getAttribute('aria-invalid')).toBe('true');
      controller.expectNone(SET_MODEL_PRICE);
      expect(hasTestId('models-save')).toBe(true);
    });

    it('sets a price and shows a refusal in the open dialog', async () => {
      await answer([]);
      await click('models-new');
      typeInto('models-field-model', 'gpt-4o*');
      typeInto('models-field-input', '2.5');
      typeInto('models-field-output', '10');
      await click('models-save', document);
      const refused = controller.expectOne(SET_MODEL_PRICE);
      expect(refused.operation.variables).toEqual({
        input: {
          model: 'gpt-4o*',
          input: 2.5,
          output: 10,
          cachedInput: null,
          perCall: null,
          perMinute: null,
          perMillionCharacters: null,
        },
      });
      refused.graphqlErrors([new GraphQLError('model: too long', { extensions: { code: 'BAD_USER_INPUT' } })]);
      await settle(fixture);
      expect(byTestId('models-error').textContent).toContain('model: too long (BAD_USER_INPUT)');

      typeInto('models-field-cachedInput', '0');
      await click('models-save', document);
      const op = controller.expectOne(SET_MODEL_PRICE);
      expect(op.operation.variables).toEqual({
        input: {
          model: 'gpt-4o*',
          input: 2.5,
          output: 10,
          cachedInput: 0,
          perCall: null,
          perMinute: null,
          perMillionCharacters: null,
        },
      });
      op.flush({ data: { setModelPrice: price({ cachedInput: 0 }) } });
      await settle(fixture);
      expect(hasTestId('models-save')).toBe(false);
      await answer([price({ cachedInput: 0 })]);
      expect(allByTestId('models-row', page)).toHaveLength(1);
    });

    it('sets the price of a listed model, its name fixed', async () => {
      await answer([price({ model: 'gpt-4o', source: 'default' })]);
      await click('models-edit');
      expect(byTestId<HTMLInputElement>('models-field-model').disabled).toBe(true);
      typeInto('models-field-output', '8');
      await click('models-save', document);
      const op = controller.expectOne(SET_MODEL_PRICE);
      expect(op.operation.variables).toEqual({
        input: {
          model: 'gpt-4o',
          input: 2.5,
          output: 8,
          cachedInput: 1.25,
          perCall: null,
          perMinute: null,
          perMillionCharacters: null,
        },
      });
      op.flush({ data: { setModelPrice: price({ model: 'gpt-4o', output: 8 }) } });
      await settle(fixture);
      await answer([price({ model: 'gpt-4o', output: 8 })]);
    });

    it('sets and shows a price that is not by tokens (whisper-1 by the audio minute)', async () => {
      await answer([price({ model: 'tts-1', input: 0, output: 0, cachedInput: null, perMillionCharacters: 15 })]);
      expect(byTestId('models-units', page).textContent).toContain('$15 a million characters');
      await click('models-new');
      typeInto('models-field-model', 'whisper-1');
      typeInto('models-field-input', '0');
      typeInto('models-field-output', '0');
      typeInto('models-field-perMinute', '0.006');
      typeInto('models-field-perCall', '-1');
      await click('models-save', document);
      expect(fieldErrors()).toEqual(['Enter 0 or more.']);
      controller.expectNone(SET_MODEL_PRICE);
      typeInto('models-field-perCall', '');
      await click('models-save', document);
      const op = controller.expectOne(SET_MODEL_PRICE);
      expect(op.operation.variables).toEqual({
        input: {
          model: 'whisper-1',
          input: 0,
          output: 0,
          cachedInput: null,
          perCall: null,
          perMinute: 0.006,
          perMillionCharacters: null,
        },
      });
      const whisper = price({ model: 'whisper-1', input: 0, output: 0, cachedInput: null, perMinute: 0.006 });
      op.flush({ data: { setModelPrice: whisper } });
      await settle(fixture);
      await answer([whisper]);
      expect(byTestId('models-units', page).textContent).toContain('$0.006 a minute');
    });

    it('shows a model’s price history', async () => {
      await answer([price()]);
      await click('models-history');
      const op = controller.expectOne(MODEL_PRICE_HISTORY);
      expect(op.operation.variables).toEqual({ model: 'gpt-4o*' });
      op.flush({ data: { modelPriceHistory: [change({ id: 'p2', deleted: true }), change({ input: 3 })] } });
      await settle(fixture);
      const rows = allByTestId('models-history-row', page);
      expect(rows).toHaveLength(2);
      expect(rows[0].textContent).toContain('Runtime price ended');
      expect(rows[1].textContent).toContain('Input $3');
    });

    it('deletes a runtime override after confirmation', async () => {
      await answer([price()]);
      await click('models-delete');
      await click('models-delete-confirm', document);
      const op = controller.expectOne(DELETE_MODEL_PRICE);
      expect(op.operation.variables).toEqual({ model: 'gpt-4o*' });
      op.flush({ data: { deleteModelPrice: change({ deleted: true }) } });
      await settle(fixture);
      await answer([price({ source: 'config' })]);
      expect(hasTestId('models-delete', page)).toBe(false);
    });
  });

  for (const role of ['operator', 'auditor'] as const) {
    it(`shows an ${role} the prices and history but no change`, async () => {
      signInAs(role);
      await render();
      await answer([price()]);
      expect(hasTestId('models-row', page)).toBe(true);
      expect(hasTestId('models-history', page)).toBe(true);
      expect(hasTestId('models-new', page)).toBe(false);
      expect(hasTestId('models-edit', page)).toBe(false);
      expect(hasTestId('models-delete', page)).toBe(false);
    });
  }

  it('offers a member no change', async () => {
    signInAs('member', { id: 'u1' });
    await render();
    await answer([price()]);
    expect(hasTestId('models-new', page)).toBe(false);
    expect(hasTestId('models-edit', page)).toBe(false);
    expect(hasTestId('models-delete', page)).toBe(false);
  });
});
