// Checks the dashboards of infra/grafana/dashboards against Grafana's own schema: the TypeScript types of
// @grafana/schema, at the version of the Grafana that docker-compose.yml runs. Each dashboard becomes a typed
// constant (the whole dashboard as Dashboard, each panel as a Panel with its plugin's Options and FieldConfig), and
// the TypeScript compiler reports every unknown key, wrong type or value outside an enum, with its JSON path.
//
//   cd infra/grafana/schema-check && npm ci && node check-dashboards.mjs ../dashboards
//
// DashboardSchemaTest runs exactly this; exit status 0 when every dashboard conforms, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? path.join(here, '..', 'dashboards'));
const cfg = '@grafana/schema/dist/esm/raw/composable';
// panel type -> its module of @grafana/schema; a panel type missing here is an error, not skipped
const PANELS = {
  timeseries: `${cfg}/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen.js`,
  table: `${cfg}/table/panelcfg/x/TablePanelCfg_types.gen.js`,
  stat: `${cfg}/stat/panelcfg/x/StatPanelCfg_types.gen.js`,
  'state-timeline': `${cfg}/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen.js`,
  xychart: `${cfg}/xychart/panelcfg/x/XYChartPanelCfg_types.gen.js`,
  heatmap: `${cfg}/heatmap/panelcfg/x/HeatmapPanelCfg_types.gen.js`,
};
const NO_FIELD_CONFIG = new Set(['stat']);

const header = [
  `import type { Dashboard, FieldConfigSource, Panel } from '@grafana/schema';`,
  ...Object.entries(PANELS).map(([type, module], i) => `import type * as P${i} from '${module}';`),
  // JSON holds an enum's values, not its TypeScript members: accept exactly those values
  'type Wire<T> = T extends string ? `${T}` : T extends readonly (infer U)[] ? Wire<U>[]',
  '  : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;',
  `type PanelOf<O, F> = Wire<Omit<Panel, 'options' | 'fieldConfig'> & { options?: O; fieldConfig?: FieldConfigSource<F> }>;`,
].join('\n');

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`no dashboard in ${dir}`);
  process.exit(1);
}
const work = fs.mkdtempSync(path.join(here, '.check-'));
const problems = [];
const sources = [];
for (const file of files) {
  const dashboard = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const lines = [header, `export const dashboard: Wire<Dashboard> = ${JSON.stringify(dashboard, null, 2)};`];
  const panels = [];
  const collect = (list) => (list ?? []).forEach((p) => { panels.push(p); collect(p.panels); });
  collect(dashboard.panels);
  panels.forEach((panel, n) => {
    if (panel.type === 'row') {
      return;
    }
    const index = Object.keys(PANELS).indexOf(panel.type);
    if (index < 0) {
      problems.push(`${file}: panel ${panel.id} has type ${panel.type}, which this check has no schema for`);
      return;
    }
    const fieldConfig = NO_FIELD_CONFIG.has(panel.type) ? 'Record<string, unknown>' : `P${index}.FieldConfig`;
    lines.push(`export const panel${n}_id${panel.id}: PanelOf<P${index}.Options, ${fieldConfig}> = `
      + `${JSON.stringify(panel, null, 2)};`);
  });
  const source = path.join(work, file.replace(/\.json$/, '.ts'));
  fs.writeFileSync(source, lines.join('\n') + '\n');
  sources.push(source);
}

const program = ts.createProgram(sources, {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [],
  typeRoots: [path.join(here, 'node_modules', '@types')], baseUrl: here,
});
for (const d of ts.getPreEmitDiagnostics(program)) {
  const where = d.file
    ? `${path.basename(d.file.fileName).replace(/\.ts$/, '.json')}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
    : '';
  problems.push(`${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n  ')}`);
}
fs.rmSync(work, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} schema problem(s) in ${files.length} dashboard(s)`);
  process.exit(1);
}
console.log(`${files.length} dashboards conform to @grafana/schema ${JSON.parse(fs.readFileSync(
  path.join(here, 'node_modules', '@grafana', 'schema', 'package.json'), 'utf8')).version}`);
