const nodeProject = require('../../../tools/jest/node-project.cjs');

module.exports = nodeProject('gateway-admin-api', '../../..', {
  // testTimeout is a global Jest option, ignored per project under the root config: set it here.
  setupFilesAfterEnv: ['<rootDir>/src/lib/testing/jest-setup.ts'],
});
