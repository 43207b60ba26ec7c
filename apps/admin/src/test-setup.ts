import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv({
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});

// The session (sessionStorage) and the language and theme (localStorage) must not leak between tests.
afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});
