import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'mappings/**/*.test.ts', 'workers/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration tests talk to the machine's PostgreSQL and Redis; each isolates itself
    // with its own schema and key prefix, so files may run in parallel. They mostly wait on
    // I/O and child processes, so one fork per core (vitest's default is cores - 1: one fork
    // on a 2-core CI machine) roughly halves the suite's wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
