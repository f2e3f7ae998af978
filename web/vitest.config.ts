// Component tests of the web UI: `*.spec.tsx` beside the views, in jsdom, with only fetch stubbed
// (web/src/test-support/api-stub.ts). The node test runner takes the server's `*.test.ts`; this one
// takes nothing else. Run: npx vitest run --config web/vitest.config.ts (or npm test).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.tsx'],
    setupFiles: ['src/test-support/setup.ts'],
    unstubGlobals: true,
    restoreMocks: true,
    // Two cores on every machine: one worker per core, and room for a loaded one.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
