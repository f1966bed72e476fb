// The file-level rules of docs/architecture.md, checked by `npm run check:architecture` (part of
// `npm test`). Module order, SQL placement and table ownership are checked by
// scripts/check-architecture.ts beside it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Files import each other in one direction only.', from: {}, to: { circular: true } },
    {
      name: 'routes-through-services',
      severity: 'error',
      comment: 'Routes parse, call a service and render: they never reach SQL (a queries file) themselves.',
      from: { path: '(^|/|-)routes\\.tsx?$' },
      to: { path: 'queries\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'queries-know-no-http',
      severity: 'error',
      comment: 'Queries are SQL only: they know nothing of HTTP, pages or services.',
      from: { path: 'queries\\.ts$' },
      to: { path: '^src/(http|views)/|routes\\.tsx?$|service\\.ts$|\\.tsx$' },
    },
    {
      name: 'views-render-only',
      severity: 'error',
      comment: 'Views render what they are given; they read nothing themselves.',
      from: { path: '/views/' },
      to: { path: 'queries\\.ts$|^src/db/', dependencyTypesNot: ['type-only'] },
    },
    { name: 'no-test-code-in-src', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench|scripts|examples)/' } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    parser: 'swc',
    moduleSystems: ['es6'],
    exclude: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'], conditionNames: ['import', 'require', 'node', 'default'], exportsFields: ['exports'] },
  },
};
