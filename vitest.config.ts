import { configDefaults, defineConfig } from 'vitest/config';
import { SYSTEM_SUITES } from './test/support/system-programs.ts';

// Suites whose program is missing are left out, and test/support/skipped-suites.ts says so loudly
// (or fails the run when REQUIRE_ALL_SUITES=1).
const unavailable = SYSTEM_SUITES.filter((s) => !s.found).flatMap((s) => s.files);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...unavailable],
    globalSetup: ['test/support/skipped-suites.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // BASE_URL: vitest sets it to '/' (vite's base path); the app's BASE_URL is an absolute URL.
    env: { NODE_ENV: 'test', BASE_URL: 'http://localhost:3000' },
  },
});
