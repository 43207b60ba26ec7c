import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { App } from './app';
import { appRoutes } from './app.routes';

describe(App.name, () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter(appRoutes), provideHttpClient(), provideHttpClientTesting()],
    });
  });

  it('renders the top bar with the product name', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const topbar = (fixture.nativeElement as HTMLElement).querySelector('header.topbar');
    expect(topbar?.textContent).toContain('SynapseHub');
  });

  it('redirects the root URL to the lazily loaded login page', async () => {
    const harness = await RouterTestingHarness.create('/');
    expect(TestBed.inject(Router).url).toBe('/login');
    expect(harness.routeNativeElement?.querySelector('h1')?.textContent?.trim()).toBe('Sign in');
  });

  it('sends unknown URLs to the login page', async () => {
    await RouterTestingHarness.create('/no-such-page');
    expect(TestBed.inject(Router).url).toBe('/login');
  });
});
