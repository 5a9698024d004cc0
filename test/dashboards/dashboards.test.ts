import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dashboardFiles } from '../../src/dashboards/dashboard-files.js';
import type { Dashboard, Panel } from '../../src/dashboards/panel-builders.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { MYSQL_SERVER_URL } from '../helpers/mysql.js';
import { SPIKED, seedSpikedAlert } from '../helpers/spiked-alert.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const committed = (file: string) => JSON.parse(read(`deploy/grafana/dashboards/${file}`)) as Dashboard;
const dashboards = dashboardFiles().map(({ file }) => committed(file));
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, { volumes?: string[]; image?: string }>;
};

/** Every SQL of a dashboard: panels' targets, template variables, annotations. */
function sqlOf(dashboard: Dashboard): { where: string; sql: string }[] {
  const panels = dashboard.panels.flatMap((p: Panel) =>
    (p.targets ?? [])
      .filter((t) => typeof t.rawSql === 'string')
      .map((t) => ({ where: p.title, sql: String(t.rawSql) })),
  );
  const variables = ((dashboard.templating as { list?: { name: string; query: string }[] })?.list ?? []).map(
    (v) => ({
      where: `variable ${v.name}`,
      sql: v.query,
    }),
  );
  const annotations = (
    (dashboard.annotations as { list?: { name: string; target: { rawSql: string } }[] })?.list ?? []
  ).map((a) => ({ where: `annotation ${a.name}`, sql: a.target.rawSql }));
  return [...panels, ...variables, ...annotations];
}

describe('the Grafana dashboards', () => {
  it('are the JSON that `npm run dashboards` writes from the queries in src/dashboards', () => {
    for (const { file, dashboard } of dashboardFiles()) expect(committed(file)).toEqual(dashboard);
  });

  it('give every panel a data source and a query, and unique ids', () => {
    for (const dashboard of dashboards) {
      const ids = dashboard.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of dashboard.panels) {
        expect(panel.datasource?.uid, panel.title).toMatch(/^ratewatch-(mysql|prometheus)$/);
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets ?? [])
          expect(target.rawSql ?? target.expr, panel.title).toBeTruthy();
      }
    }
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
  });

  it('name only the data sources that provisioning declares, and query only metrics ratewatch exports', () => {
    const provisioned = parse(read('deploy/grafana/provisioning/datasources/ratewatch.yml')) as {
      datasources: { uid: string; type: string }[];
    };
    const uids = provisioned.datasources.map((d) => d.uid);
    for (const dashboard of dashboards)
      for (const panel of dashboard.panels) expect(uids).toContain(panel.datasource?.uid);
    const metrics = read('src/metrics/metrics.ts');
    const exprs = dashboards.flatMap((d) => d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    for (const name of exprs.flatMap((e) => String(e ?? '').match(/ratewatch_[a-z_]+/g) ?? [])) {
      const base = name
        .replace(/_(bucket|count|sum)$/, '')
        .replace(/^ratewatch_process_.*/, 'collectDefaultMetrics');
      expect(metrics, name).toContain(base.startsWith('ratewatch_') ? `'${base}'` : base);
    }
  });

  it("give Prometheus a configuration promtool accepts, with ratewatch's rules", () => {
    // promtool resolves rule_files on this machine: point them at the repository's copy.
    const dir = mkdtempSync(join(tmpdir(), 'rw-prometheus-'));
    const config = read('deploy/prometheus/prometheus.yml').replace(
      '/etc/prometheus/rules/ratewatch-rules.yml',
      join(ROOT, 'ops/prometheus/ratewatch-rules.yml'),
    );
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const run = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(run.error, 'promtool is needed (apt-get install prometheus)').toBeUndefined();
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  });

  it('are provisioned from files that exist, mounted where the provisioning looks', () => {
    const provider = parse(read('deploy/grafana/provisioning/dashboards/ratewatch.yml')) as {
      providers: { options: { path: string } }[];
    };
    const grafana = compose.services.grafana?.volumes ?? [];
    const dashboardsMount = grafana.find((v) => v.startsWith('./deploy/grafana/dashboards:'));
    expect(dashboardsMount?.split(':')[1]).toBe(provider.providers[0]?.options.path);
    expect(readdirSync(join(ROOT, 'deploy/grafana/dashboards')).sort()).toEqual(
      dashboardFiles()
        .map((f) => f.file)
        .sort(),
    );
    for (const service of Object.values(compose.services))
      for (const volume of service.volumes ?? [])
        if (volume.startsWith('./'))
          expect(existsSync(join(ROOT, volume.split(':')[0] as string)), volume).toBe(true);
    expect(compose.services.prometheus?.image).toMatch(/^prom\/prometheus:/);
    const scrape = parse(read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    // The alert rules of ops/prometheus are mounted where prometheus.yml loads them.
    const rules = (scrape as unknown as { rule_files: string[] }).rule_files;
    const prometheus = compose.services.prometheus?.volumes ?? [];
    for (const file of rules)
      expect(
        prometheus.some(
          (v) => v.endsWith(`:${file}:ro`) && existsSync(join(ROOT, v.split(':')[0] as string)),
        ),
      ).toBe(true);
    expect(scrape.scrape_configs[0]).toMatchObject({
      metrics_path: '/metrics',
      static_configs: [{ targets: ['ratewatch:3000'] }],
    });
  });
});

describe("the dashboards' SQL, run as the read-only user on the real database", () => {
  let app: TestApp;
  let reader: mysql.Connection;
  const user = `grafana_ro_${Math.floor(Math.random() * 1e6)}`;

  beforeAll(async () => {
    app = await startTestApp('dashboards', {}, { now: () => SPIKED.now });
    await seedSpikedAlert(app, {});
    // The statements of deploy/mysql/init, for this test's database and user.
    const script = read('deploy/mysql/init/01-grafana-reader.sh');
    const statements = (script.split('<<SQL\n')[1]?.split('\nSQL')[0] ?? '')
      .replaceAll("'grafana_reader'", `'${user}'`)
      .replace(/\$\{GRAFANA_MYSQL_PASSWORD[^}]*\}/, 'reader-password')
      .replace(/\\`\$\{MYSQL_DATABASE\}\\`/, `\`${app.database.name}\``)
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    const root = await mysql.createConnection({ uri: MYSQL_SERVER_URL });
    for (const statement of statements) await root.query(statement);
    await root.end();
    const url = new URL(app.database.url);
    reader = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user,
      password: 'reader-password',
      database: app.database.name,
      timezone: 'Z',
    });
  }, 120_000);

  afterAll(async () => {
    await reader?.end();
    const root = await mysql.createConnection({ uri: MYSQL_SERVER_URL });
    await root.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await root.end();
    await app?.stop();
  });

  /** Grafana's macros and the variables, expanded as Grafana would for 13–16 November and steady-eu. */
  const expand = (sql: string) =>
    sql
      .replace(/\$__timeFilter\(([^)]+)\)/g, "$1 BETWEEN '2026-11-13 00:00:00' AND '2026-11-16 00:00:00'")
      .replaceAll('$source', SPIKED.source)
      .replaceAll('$environment', 'production');

  it.each(dashboards.flatMap((d) => sqlOf(d).map((q) => [`${d.title}: ${q.where}`, q.sql] as const)))(
    '%s returns rows',
    async (_where, sql) => {
      const [rows] = await reader.query(expand(sql));
      expect((rows as unknown[]).length).toBeGreaterThan(0);
    },
  );

  it('may read but not write', async () => {
    await expect(reader.query("UPDATE alerts SET title = 'x'")).rejects.toThrow(/denied/i);
  });
});
