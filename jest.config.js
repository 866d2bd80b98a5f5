// Jest runs in ESM mode (NestJS 12 is ESM-only); @swc/jest compiles TypeScript with decorator metadata.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

export const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  moduleNameMapper: {
    '^#libs/([^/]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^#chaos$': '<rootDir>/chaos/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/\\.dist-'],
};

export const unit = { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,chaos}/**/*.spec.ts'] };
// Suites against real servers end by killing what they started; a stray socket or timer in a client library must
// not keep CI waiting forever after the last test (it once hung a CI run until its deadline), so Jest exits anyway.
const realServers = { forceExit: true };
export const int = { ...common, ...realServers, displayName: 'int', testMatch: ['<rootDir>/test/int/**/*.test.ts'] };
export const e2e = { ...common, ...realServers, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] };

/** `npx jest` runs all; `npm run test:unit|test:int|test:e2e -- <path>` run one suite. */
export default { projects: [unit, int, e2e] };
