import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import { allByTestId, byTestId, configureAreaTest, hasTestId, settle, typeInto } from '../keys/testing/area-testing';
import { ChannelsPage } from './channels-page';
import {
  CHANNELS,
  CREATE_CHANNEL,
  DELETE_CHANNEL,
  ROUTING_TARGETS,
  TEST_CHANNEL,
  UPDATE_CHANNEL,
  type Channel,
  type RoutingTarget,
} from './channels.graphql';
import { CHANNELS_TRANSLATIONS } from './channels.i18n';

function channel(overrides: Partial<Channel> = {}): Channel {
  return {
    __typename: 'Channel',
    id: 'c1',
    name: 'openai-main',
    type: 'OPENAI',
    baseUrl: 'https://api.openai.com/v1',
    models: ['gpt-4o', 'gpt-4o-mini'],
    enabled: true,
    apiKeyHint: '…abcd',
    headerNames: [],
    ...overrides,
  } as Channel;
}

function target(overrides: Partial<RoutingTarget> = {}): RoutingTarget {
  return {
    __typename: 'RoutingTarget',
    id: 'c1/gpt-4o',
    channelId: 'c1',
    channelName: 'openai-main',
    model: 'gpt-4o',
    state: 'HEALTHY',
    cooldownUntil: null,
    recentFailures: 0,
    inFlight: 0,
    latencyMs: 120,
    lastCheck: null,
    routes: ['gpt-4o'],
    ...overrides,
  } as RoutingTarget;
}

describe(ChannelsPage.name, () => {
  let fixture: ComponentFixture<ChannelsPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(ChannelsPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answer = async (channels: Channel[], targets: RoutingTarget[] | null = []) => {
    controller.expectOne(CHANNELS).flush({ data: { channels } });
    if (targets) controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: targets } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };
  const typeAt = (id: string, index: number, value: string) => {
    const input = allByTestId<HTMLInputElement>(id)[index];
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };
  const fieldErrors = () => Array.from(document.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());

  beforeEach(() => {
    configureAreaTest(ChannelsPage, CHANNELS_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an operator', () => {
    beforeEach(async () => {
      signInAs('operator');
      await render();
    });

    it('lists the channels with their health and the key hint, never a key', async () => {
      await answer(
        [channel(), channel({ id: 'c2', name: 'backup', enabled: false, apiKeyHint: null, models: ['x'] })],
        [target(), target({ id: 'c1/gpt-4o-mini', model: 'gpt-4o-mini', state: 'COOLING_DOWN' })],
      );
      const rows = allByTestId('channels-row', page);
      expect(rows).toHaveLength(2);
      expect(rows[0].textContent).toContain('https://api.openai.com/v1');
      expect(rows[0].textContent).toContain('gpt-4o, gpt-4o-mini');
      expect(rows[0].textContent).toContain('OpenAI-compatible');
      expect(rows[0].textContent).toContain('…abcd');
      expect(rows[0].textContent).toContain('Cooling down × 1');
      expect(rows[0].textContent).toContain('Healthy × 1');
      expect(rows[1].textContent).toContain('No key');
      expect(rows[1].textContent).toContain('Disabled');
      expect(rows[1].textContent).toContain('Enable');
      expect(hasTestId('channels-new', page)).toBe(true);
      expect(allByTestId('channels-edit', page)).toHaveLength(2);
      expect(allByTestId('channels-delete', page)).toHaveLength(2);
    });

    it('shows a loading state, then an empty state', async () => {
      expect(page.querySelector('mat-progress-bar')).not.toBeNull();
      await answer([]);
      expect(page.querySelector('mat-progress-bar')).toBeNull();
      expect(byTestId('channels-empty', page).textContent).toContain('No channels yet.');
    });

    it('shows a GraphQL error of the list as text', async () => {
      controller
        .expectOne(CHANNELS)
        .graphqlErrors([new GraphQLError('You may not read Channel', { extensions: { code: 'FORBIDDEN' } })]);
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);
      expect(byTestId('channels-error', page).textContent).toContain('You may not read Channel (FORBIDDEN)');
    });

    it('checks every field, marks it invalid, sends nothing and keeps the dialog open', async () => {
      await answer([]);
      await click('channels-new');
      typeInto('channels-field-name', 'bad name!');
      typeInto('channels-field-baseUrl', 'ftp://example.com');
      typeInto('channels-field-models', ' , ');
      await click('channels-save', document);
      expect(fieldErrors()).toEqual(
        expect.arrayContaining([
          'Use 1-64 letters, digits, dots, dashes or underscores.',
          'Enter an http:// or https:// URL.',
          'List at least one model.',
        ]),
      );
      expect(byTestId('channels-field-baseUrl').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId('channels-field-name').getAttribute('aria-invalid')).toBe('true');
      controller.expectNone(CREATE_CHANNEL);
      expect(hasTestId('channels-save')).toBe(true);

      typeInto('channels-field-name', '');
      typeInto('channels-field-baseUrl', '');
      await settle(fixture);
      expect(fieldErrors().filter((e) => e === 'Required.')).toHaveLength(2);
      expect(byTestId('channels-field-name').getAttribute('aria-invalid')).toBe('true');
      controller.expectNone(CREATE_CHANNEL);
    });

    it('creates an OpenAI-compatible channel from name, URL, key and models', async () => {
      await answer([]);
      await click('channels-new');
      expect(byTestId<HTMLSelectElement>('channels-field-type').value).toBe('OPENAI');
      typeInto('channels-field-name', 'openai-main');
      typeInto('channels-field-baseUrl', 'https://api.openai.com/v1');
      typeInto('channels-field-apiKey', 'sk-test-1234');
      typeInto('channels-field-models', 'gpt-4o, gpt-4o-mini');
      await click('channels-save', document);
      const op = controller.expectOne(CREATE_CHANNEL);
      expect(op.operation.variables).toEqual({
        input: {
          name: 'openai-main',
          type: 'OPENAI',
          baseUrl: 'https://api.openai.com/v1',
          models: ['gpt-4o', 'gpt-4o-mini'],
          apiKey: 'sk-test-1234',
          enabled: true,
        },
      });
      op.flush({ data: { createChannel: channel() } });
      await settle(fixture);
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);
      expect(hasTestId('channels-save')).toBe(false);
      expect(allByTestId('channels-row', page)).toHaveLength(1);
      expect(page.textContent).not.toContain('sk-test-1234');
    });

    it('edits without the key (empty keeps it) and shows the refusal of another origin in the open dialog', async () => {
      await answer([channel()]);
      await click('channels-edit');
      expect(byTestId<HTMLInputElement>('channels-field-apiKey').value).toBe('');
      typeInto('channels-field-baseUrl', 'http://other.example.com:8080/v1');
      await click('channels-save', document);
      const op = controller.expectOne(UPDATE_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'c1', input: { baseUrl: 'http://other.example.com:8080/v1' } });
      op.graphqlErrors([
        new GraphQLError(
          'apiKey and headers: the channel moves to another origin (scheme, host or port); give apiKey and headers again',
          { extensions: { code: 'BAD_USER_INPUT' } },
        ),
      ]);
      await settle(fixture);
      expect(byTestId('channels-error').textContent).toContain('give apiKey and headers again (BAD_USER_INPUT)');
      expect(hasTestId('channels-save')).toBe(true);

      typeInto('channels-field-apiKey', 'sk-new-5678');
      await click('channels-save', document);
      const again = controller.expectOne(UPDATE_CHANNEL);
      expect(again.operation.variables).toEqual({
        id: 'c1',
        input: { baseUrl: 'http://other.example.com:8080/v1', apiKey: 'sk-new-5678' },
      });
      again.flush({ data: { updateChannel: channel({ baseUrl: 'http://other.example.com:8080/v1' }) } });
      await settle(fixture);
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);
      expect(allByTestId('channels-row', page)[0].textContent).toContain('http://other.example.com:8080/v1');
    });

    it('checks extra headers and timeouts at their fields and sends nothing while one is wrong', async () => {
      await answer([]);
      await click('channels-new');
      typeInto('channels-field-name', 'proxied');
      typeInto('channels-field-baseUrl', 'https://proxy.example.com/v1');
      typeInto('channels-field-models', 'gpt-4o');
      for (let i = 0; i < 4; i++) await click('channels-header-add', document);
      typeAt('channels-field-header-name', 0, 'x team');
      typeAt('channels-field-header-name', 1, 'Content-Type');
      typeAt('channels-field-header-name', 2, 'X-Tenant');
      typeAt('channels-field-header-value', 2, 'acme');
      typeAt('channels-field-header-name', 3, 'x-tenant');
      typeInto('channels-field-connectMs', '0');
      typeInto('channels-field-firstByteMs', '-5');
      typeInto('channels-field-totalMs', '1.5');
      await click('channels-save', document);
      const errors = fieldErrors();
      expect(errors).toEqual(
        expect.arrayContaining([
          "A header name is letters, digits and !#$%&'*+.^_`|~- only, without spaces or a colon.",
          'The gateway sets or manages this header itself; choose another.',
          'This header is already listed (names ignore case).',
          'Required.',
        ]),
      );
      expect(
        errors.filter((e) => e === 'A whole number of milliseconds above 0, or empty for the default.'),
      ).toHaveLength(3);
      expect(allByTestId('channels-field-header-name')[3].getAttribute('aria-invalid')).toBe('true');
      expect(allByTestId('channels-field-header-name')[2].getAttribute('aria-invalid')).toBe('false');
      expect(byTestId('channels-field-totalMs').getAttribute('aria-invalid')).toBe('true');
      controller.expectNone(CREATE_CHANNEL);

      // Fixed: the bad rows removed, the duplicate renamed, values given, timeouts whole and positive.
      await click('channels-header-remove', document);
      await click('channels-header-remove', document);
      typeAt('channels-field-header-name', 1, 'x-region');
      typeAt('channels-field-header-value', 1, 'eu');
      typeInto('channels-field-connectMs', '2000');
      typeInto('channels-field-firstByteMs', '');
      typeInto('channels-field-totalMs', '120000');
      await click('channels-save', document);
      const op = controller.expectOne(CREATE_CHANNEL);
      expect(op.operation.variables['input']).toMatchObject({
        headers: [
          { name: 'X-Tenant', value: 'acme' },
          { name: 'x-region', value: 'eu' },
        ],
        timeouts: { connectMs: 2000, totalMs: 120000 },
      });
      op.flush({ data: { createChannel: channel({ name: 'proxied', headerNames: ['X-Tenant', 'x-region'] }) } });
      await settle(fixture);
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);
    });

    it('keeps stored headers when only timeouts change, and asks for every value when a header changes', async () => {
      await answer([channel({ headerNames: ['x-tenant', 'x-region'], timeouts: { connectMs: 1000 } } as never)]);
      await click('channels-edit');
      expect(allByTestId<HTMLInputElement>('channels-field-header-name').map((i) => i.value)).toEqual([
        'x-tenant',
        'x-region',
      ]);
      expect(byTestId<HTMLInputElement>('channels-field-connectMs').value).toBe('1000');
      typeInto('channels-field-connectMs', '');
      typeInto('channels-field-totalMs', '60000');
      await click('channels-save', document);
      const op = controller.expectOne(UPDATE_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'c1', input: { timeouts: { totalMs: 60000 } } });
      op.flush({ data: { updateChannel: channel({ headerNames: ['x-tenant', 'x-region'] }) } });
      await settle(fixture);
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);

      await click('channels-edit');
      typeAt('channels-field-header-value', 0, 'acme');
      await click('channels-save', document);
      expect(fieldErrors()).toEqual(['Give the value again: changing the headers replaces them all.']);
      controller.expectNone(UPDATE_CHANNEL);
      typeAt('channels-field-header-value', 1, 'eu');
      await click('channels-save', document);
      expect(controller.expectOne(UPDATE_CHANNEL).operation.variables['input']).toEqual({
        headers: [
          { name: 'x-tenant', value: 'acme' },
          { name: 'x-region', value: 'eu' },
        ],
      });
    });

    it('says where a Dify app type is chosen when the type is Dify', async () => {
      await answer([]);
      await click('channels-new');
      expect(hasTestId('channels-dify-hint')).toBe(false);
      typeInto('channels-field-type', 'DIFY');
      await settle(fixture);
      expect(byTestId('channels-dify-hint').textContent).toContain('chosen on the route’s target');
    });

    it('disables a channel', async () => {
      await answer([channel()]);
      await click('channels-disable');
      const op = controller.expectOne(UPDATE_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'c1', input: { enabled: false } });
      op.flush({ data: { updateChannel: channel({ enabled: false }) } });
      await settle(fixture);
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);
      expect(byTestId('channels-disable', page).textContent).toContain('Enable');
    });

    it('tests a channel now and shows the verdict, or the API error as text', async () => {
      await answer([channel(), channel({ id: 'c2', name: 'spare', enabled: false })]);
      // A disabled channel is not offered a test: the API would refuse it.
      expect(allByTestId('channels-test', page)).toHaveLength(1);
      await click('channels-test');
      expect(byTestId('channels-test-result', page).textContent).toContain('Calling the upstream');
      const op = controller.expectOne(TEST_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'c1' });
      op.flush({
        data: {
          testChannel: {
            __typename: 'ChannelCheck',
            at: '2026-12-04T10:00:00Z',
            ok: false,
            latencyMs: null,
            error: 'status_401',
            detail: "the upstream refused the channel's key (401): check its API key",
          },
        },
      });
      await settle(fixture);
      // The verdict counts as a health check: the targets are read again.
      controller.expectOne(ROUTING_TARGETS).flush({ data: { routingTargets: [] } });
      await settle(fixture);
      expect(byTestId('channels-test-result', page).textContent).toContain(
        'The upstream did not answer as expected: status_401.',
      );
      expect(byTestId('channels-test-detail', page).textContent).toBe(
        "the upstream refused the channel's key (401): check its API key",
      );

      await click('channels-test');
      controller
        .expectOne(TEST_CHANNEL)
        .graphqlErrors([
          new GraphQLError("Channel 'openai-main' is disabled", { extensions: { code: 'BAD_USER_INPUT' } }),
        ]);
      await settle(fixture);
      expect(byTestId('channels-test-result', page).textContent).toContain('is disabled (BAD_USER_INPUT)');
    });

    it('re-reads and shows the last health check of a channel', async () => {
      await answer([channel()]);
      await click('channels-health');
      controller.expectOne(ROUTING_TARGETS).flush({
        data: {
          routingTargets: [
            target({
              state: 'COOLING_DOWN',
              recentFailures: 3,
              lastCheck: {
                __typename: 'ChannelCheck',
                at: '2026-12-04T10:00:00Z',
                ok: false,
                error: 'status_503',
                detail: 'the upstream failed (503)',
                latencyMs: null,
              } as never,
            }),
          ],
        },
      });
      await settle(fixture);
      const check = byTestId('channels-check', page).textContent ?? '';
      expect(check).toContain('gpt-4o: failed at');
      expect(check).toContain('status_503');
      expect(check).toContain('the upstream failed (503)');
      expect(check).toContain('3 recent failures');
    });

    it('deletes after confirmation and shows a refusal as text', async () => {
      await answer([channel()]);
      await click('channels-delete');
      await click('channels-delete-confirm', document);
      const op = controller.expectOne(DELETE_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'c1' });
      op.graphqlErrors([
        new GraphQLError("Channel 'openai-main' is a target of the routes 'gpt-4o'", {
          extensions: { code: 'CONFLICT' },
        }),
      ]);
      await settle(fixture);
      expect(byTestId('channels-error', page).textContent).toContain('is a target of the routes');
      expect(allByTestId('channels-row', page)).toHaveLength(1);
    });
  });

  it('offers no create, edit or delete to an auditor', async () => {
    signInAs('auditor');
    await render();
    await answer([channel()]);
    expect(allByTestId('channels-row', page)).toHaveLength(1);
    expect(hasTestId('channels-new', page)).toBe(false);
    expect(hasTestId('channels-edit', page)).toBe(false);
    expect(hasTestId('channels-disable', page)).toBe(false);
    expect(hasTestId('channels-delete', page)).toBe(false);
    expect(hasTestId('channels-test', page)).toBe(false);
  });

  it('offers nothing to change to a member', async () => {
    signInAs('member', { id: 'u1' });
    await render();
    // A member reads no routing targets: only the channels are asked (and refused by the API).
    controller.expectOne(CHANNELS).flush({ data: { channels: [channel()] } });
    controller.expectNone(ROUTING_TARGETS);
    await settle(fixture);
    expect(hasTestId('channels-new', page)).toBe(false);
    expect(hasTestId('channels-edit', page)).toBe(false);
    expect(hasTestId('channels-delete', page)).toBe(false);
    expect(hasTestId('channels-test', page)).toBe(false);
  });
});
