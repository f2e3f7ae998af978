#!/usr/bin/env node
// The installed command runs the compiled CLI; `npm run build` produces it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('vigil: not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
