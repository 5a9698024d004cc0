/** The pieces every dashboard panel is made of: data sources, targets, time series panels, variables. */
/** The data sources the provisioning file declares; panels name them by uid. */
export const DATASOURCES = {
  mysql: { type: 'mysql', uid: 'ratewatch-mysql' },
  prometheus: { type: 'prometheus', uid: 'ratewatch-prometheus' },
} as const;

export type Datasource = (typeof DATASOURCES)[keyof typeof DATASOURCES];
export type Target = Record<string, unknown> & { refId: string };
export type Panel = Record<string, unknown> & {
  id: number;
  title: string;
  datasource?: Datasource;
  targets?: Target[];
};
export type Dashboard = Record<string, unknown> & { uid: string; title: string; panels: Panel[] };

export const sql = (
  refId: string,
  rawSql: string,
  format: 'time_series' | 'table' = 'time_series',
): Target => ({
  refId,
  datasource: DATASOURCES.mysql,
  editorMode: 'code',
  format,
  rawQuery: true,
  rawSql,
});
export const prom = (refId: string, expr: string, legendFormat = ''): Target => ({
  refId,
  datasource: DATASOURCES.prometheus,
  expr,
  legendFormat,
});

/** A panel at a grid position; ids are given in order, so they are unique. */
export function panels(list: readonly PanelBody[]): Panel[] {
  return list.map((panel, index) => ({ ...panel, id: index + 1 }));
}

export type PanelBody = Record<string, unknown> & {
  title: string;
  datasource?: Datasource;
  targets?: Target[];
};

export function timeseries(
  title: string,
  datasource: Datasource,
  targets: Target[],
  gridPos: { x: number; y: number; w: number; h: number },
  unit: string,
  description?: string,
): PanelBody {
  return {
    type: 'timeseries',
    title,
    ...(description ? { description } : {}),
    datasource,
    gridPos,
    fieldConfig: { defaults: { unit, custom: { lineWidth: 2, fillOpacity: 0 } }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets,
  };
}

export function variable(name: string, query: string) {
  return {
    name,
    label: name,
    type: 'query',
    datasource: DATASOURCES.mysql,
    query,
    definition: query,
    refresh: 1,
    includeAll: false,
    multi: false,
  };
}
