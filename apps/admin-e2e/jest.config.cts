const nodeProject = require('../../tools/jest/node-project.cjs');

// One built gateway, one mock upstream and one headless Chromium for the whole console suite.
module.exports = nodeProject('admin-e2e', '../..', {
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  // testTimeout is a global Jest option, ignored per project under the root config: set it here.
  setupFilesAfterEnv: ['<rootDir>/src/support/jest-setup.ts'],
});
