/**
 * Import boundaries of ../shared/DESIGN.md ("Layout and boundaries"), enforced in `npm test`.
 * Each stage may import only the folders listed for it; dependencies point one way.
 */
const allowed = {
  model: [],
  procfs: ['model'],
  identity: ['model', 'procfs'],
  capture: ['model'],
  decode: ['model'],
  reassembly: ['model', 'decode'],
  protocols: ['model'],
  correlate: ['model', 'protocols'],
  store: ['model'],
  query: ['model'],
  k8s: ['model'],
  api: ['model', 'store', 'query'],
};

const stageRules = Object.entries(allowed).map(([stage, deps]) => ({
  name: `boundary-${stage}`,
  comment: `src/${stage} may import only: ${[stage, ...deps].join(', ')} (DESIGN.md)`,
  severity: 'error',
  from: { path: `^src/${stage}/` },
  to: { path: '^src/', pathNot: `^src/(${[stage, ...deps].join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...stageRules,
    {
      name: 'ui-model-only',
      comment: 'the dashboard imports src/model types only',
      severity: 'error',
      from: { path: '^ui/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'ui-model-types-only',
      comment: 'the dashboard bundle takes only types from src/model (import type), never runtime code',
      severity: 'error',
      from: { path: '^ui/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'dissectors-isolated',
      comment: 'a dissector folder imports only model, its own folder, _framing and the contract (DESIGN.md: no dissector imports another; nesting goes through the registry)',
      severity: 'error',
      from: { path: '^src/protocols/([^/]+)/' },
      to: { path: '^src/(?!model/)', pathNot: '^src/protocols/($1/|_framing/|types\\.ts$)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-from-tests',
      comment: 'production code never imports test or bench code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
