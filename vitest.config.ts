import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/cli/src/**/*.test.ts', 'apps/web/src/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles: ['tests/setup/no-outbound-network.ts', 'tests/setup/property-tests.ts'],
    // Each file builds its own database; PGlite's start-up dominates, so allow for it on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per core. Vitest keeps a core free for itself by default, which on a 2-core
    // CI machine ran the files one at a time; its own process is nearly idle here (the work is in
    // the forks and in PostgreSQL). Measured on 2 cores, PGlite: 9 min 08 s → 6 min 57 s.
    maxWorkers: availableParallelism(),
  },
});
