// End-to-end tests start processes and wait on real sockets: give them more than Jest's 5 s.
jest.setTimeout(30_000);
