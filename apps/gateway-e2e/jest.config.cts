const nodeProject = require('../../tools/jest/node-project.cjs');

// Each suite starts the built gateway as a child process, as an operator would.
module.exports = nodeProject('gateway-e2e', '../..', {
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  // testTimeout is a global Jest option, ignored per project under the root config: set it here.
  setupFilesAfterEnv: ['<rootDir>/src/support/jest-setup.ts'],
});
