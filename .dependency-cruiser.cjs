// Architecture rules, checked by `npm test` (scripts/test.mjs). See docs/architecture.md.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle makes load order matter and hides which part depends on which (type-only imports do not load anything).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'lib-is-pure',
      comment: 'lib/ holds pure domain code: no module, server, database, CLI or configuration code.',
      severity: 'error',
      from: { path: '^src/lib/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(modules|server|db|cli|config)/' },
    },
    {
      name: 'core-below-modules',
      comment: 'core/ is the shared kernel every module uses; it knows no module, no server and no CLI.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(modules|server|cli)/' },
    },
    {
      name: 'migrations-frozen',
      comment: 'A migration is a snapshot: it imports nothing that later changes could alter.',
      severity: 'error',
      from: { path: '^src/db/migrations/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(modules|server|cli|lib|config)/' },
    },
    {
      name: 'modules-through-public-entry',
      comment: "A module reaches another only through the other's index.ts (its services' types and the query fragments it exports).",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|web|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
