import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { signInAs } from '../../core/testing/sign-in-as';
import { configureAreaTestWith, hasTestId, settle } from '../keys/testing/area-testing';
import { AlertsTabs } from './alerts-tabs';
import { ALERTS_ROUTES } from './alerts.routes';
import { ALERTS_TRANSLATIONS } from './alerts.i18n';

describe(AlertsTabs.name, () => {
  beforeEach(() => configureAreaTestWith(AlertsTabs, [provideRouter([])], ALERTS_TRANSLATIONS));

  it('routes rules, notification channels and history', () => {
    expect(ALERTS_ROUTES[0].children?.map((r) => r.path)).toEqual(['', 'channels', 'history']);
  });

  it('shows the three tabs in English', async () => {
    signInAs('operator');
    const fixture = TestBed.createComponent(AlertsTabs);
    await settle(fixture);
    const text = (fixture.nativeElement as HTMLElement).textContent;
    expect(text).toContain('Alert rules');
    expect(text).toContain('Notification channels');
    expect(text).toContain('Alert history');
  });

  it('leaves out the channels tab for a role that may not read them', async () => {
    signInAs({ name: 'alert-reader', description: '', rules: [{ action: 'read', subject: 'Alert' }] });
    const fixture = TestBed.createComponent(AlertsTabs);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(hasTestId('alerts-tab-rules', page)).toBe(true);
    expect(hasTestId('alerts-tab-channels', page)).toBe(false);
    expect(hasTestId('alerts-tab-history', page)).toBe(true);
  });
});
