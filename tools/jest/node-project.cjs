// Shared Jest settings for every Node project (gateway, libs, e2e): SWC with decorator
// metadata, which NestJS dependency injection and GraphQL type reflection need.
const swcTransform = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = function nodeProject(name, root, extra = {}) {
  return {
    displayName: name,
    preset: `${root}/jest.preset.js`,
    testEnvironment: 'node',
    transform: { '^.+\\.[tj]s$': swcTransform },
    moduleFileExtensions: ['ts', 'js'],
    coverageDirectory: `${root}/coverage/${name}`,
    globalSetup: `<rootDir>/${root}/tools/jest/probe-services.cjs`,
    ...extra,
  };
};
