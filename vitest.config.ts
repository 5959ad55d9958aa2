import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/helpers/remove-temp-dirs.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more forks only contend for them.
    pool: 'forks',
    maxWorkers: 2,
  },
})
