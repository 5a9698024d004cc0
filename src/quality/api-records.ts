import { splitCsvLine } from '../api-calls/csv-fields.js';
import { API_METRICS, type ApiMetric, type ApiSimEvent } from '../simulate/api-calls/types.js';

/** A finding about one API; times in epoch milliseconds. `observed`/`expected` as the metric defines them. */
export interface ApiFinding {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  readonly metric: ApiMetric;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** Shares (fractions) for errors and silent_failures; ms for latency; calls in the window for traffic. */
  readonly observed: number;
  readonly expected: number;
  readonly model: string;
}

/** One labelled API incident (a line of the API simulation's labels.csv). */
export type ApiIncident = Omit<ApiSimEvent, 'incident'>;

/** A finding as one line of the findings file (product.md): snake_case keys, ISO UTC times, with `api`. */
export function apiFindingToJson(finding: ApiFinding): string {
  return JSON.stringify({
    source: finding.source,
    environment: finding.environment,
    api: finding.api,
    metric: finding.metric,
    window_start: new Date(finding.windowStartMs).toISOString(),
    window_end: new Date(finding.windowEndMs).toISOString(),
    model: finding.model,
    observed_rate: Number(finding.observed.toPrecision(6)),
    expected_rate: Number(finding.expected.toPrecision(6)),
  });
}

/** Parses the text of an API labels.csv (`source,environment,api,metric,kind,start,end,magnitude`). */
export function parseApiLabelsCsv(text: string): ApiIncident[] {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = splitCsvLine(header ?? '') ?? [];
  const names = ['source', 'environment', 'api', 'metric', 'kind', 'start', 'end', 'magnitude'] as const;
  const at = Object.fromEntries(
    names.map((name) => {
      const i = columns.indexOf(name);
      if (i < 0) throw new Error(`labels: the header has no "${name}" column`);
      return [name, i];
    }),
  ) as Record<(typeof names)[number], number>;
  return lines.map((line, i) => {
    const where = `labels line ${i + 2}`;
    const cells = splitCsvLine(line);
    if (!cells) throw new Error(`${where}: broken quoting`);
    const cell = (name: (typeof names)[number]) => cells[at[name]] ?? '';
    return {
      source: cell('source'),
      environment: cell('environment'),
      api: cell('api'),
      metric: apiMetricOf(cell('metric'), where),
      kind: cell('kind'),
      startMs: timeOf(cell('start'), `${where}: start`),
      endMs: timeOf(cell('end'), `${where}: end`),
      magnitude: Number(cell('magnitude')),
    };
  });
}

function apiMetricOf(text: string, where: string): ApiMetric {
  if (!(API_METRICS as readonly string[]).includes(text))
    throw new Error(`${where}: metric must be one of ${API_METRICS.join(', ')}, not "${text}"`);
  return text as ApiMetric;
}

function timeOf(text: string, where: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${where} is not an ISO-8601 time: "${text}"`);
  return ms;
}

/** The part of an API finding that scoring uses; `metric` as written (`client_errors` is possible). */
export interface ScoredApiFinding {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  readonly metric: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
}

/** Parses one line of an API findings file; throws an Error naming the line when it is not one. */
export function parseApiFindingLine(line: string, lineNumber: number): ScoredApiFinding {
  const where = `findings line ${lineNumber}`;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`${where} is not JSON: ${line.slice(0, 120)}`);
  }
  const text = (name: string) => {
    const field = value[name];
    if (typeof field !== 'string' || field === '') throw new Error(`${where}: "${name}" is missing`);
    return field;
  };
  return {
    source: text('source'),
    environment: text('environment'),
    api: text('api'),
    metric: text('metric'),
    windowStartMs: timeOf(text('window_start'), `${where}: window_start`),
    windowEndMs: timeOf(text('window_end'), `${where}: window_end`),
  };
}
