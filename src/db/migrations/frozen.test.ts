// Migrations are frozen snapshots (issue 9 §3): they import nothing from the rest of Vigil, only
// Kysely, Node's own modules and one another's folder, so that a later change to a module
// cannot change what an old migration does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const allowed = (spec: string) => spec === 'kysely' || spec.startsWith('node:') || /^\.\/[^/]+$/.test(spec);

for (const file of files) {
  test(`migration file ${file} imports only kysely, node: modules and files of its own folder`, () => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]!);

    assert.deepEqual(
      specs.filter((s) => !allowed(s)),
      [],
    );
  });
}
