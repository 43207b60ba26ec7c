const nodeProject = require('../../../tools/jest/node-project.cjs');

module.exports = nodeProject('gateway-monitoring', '../../..');
