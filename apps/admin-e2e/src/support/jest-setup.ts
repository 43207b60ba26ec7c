// A browser against a built gateway: starting them and waiting on pages takes longer than Jest's 5 s.
jest.setTimeout(90_000);
