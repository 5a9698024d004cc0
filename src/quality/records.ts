import { METRICS, type Metric, type SimEvent } from '../simulate/types.js';

/** The part of a finding that scoring uses; times in epoch milliseconds. */
export interface Finding {
  readonly source: string;
  readonly environment: string;
  readonly metric: Metric;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
}

/** One labelled incident (a labels.csv line): the simulator's event without its incident flag. */
export type Incident = Omit<SimEvent, 'incident'>;

/** Parses one findings JSON line; throws an Error naming the line when it is not a usable finding. */
export function parseFindingLine(line: string, lineNumber: number): Finding {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`findings line ${lineNumber} is not JSON: ${line.slice(0, 120)}`);
  }
  const text = (name: string) => {
    const field = value[name];
    if (typeof field !== 'string' || field === '')
      throw new Error(`findings line ${lineNumber}: "${name}" is missing`);
    return field;
  };
  return {
    source: text('source'),
    environment: text('environment'),
    metric: metricOf(text('metric'), `findings line ${lineNumber}`),
    windowStartMs: timeOf(text('window_start'), `findings line ${lineNumber}: window_start`),
    windowEndMs: timeOf(text('window_end'), `findings line ${lineNumber}: window_end`),
  };
}

/** Parses the text of labels.csv (header `source,environment,metric,kind,start,end,magnitude`). */
export function parseLabelsCsv(text: string): Incident[] {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = (header ?? '').split(',');
  const index = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`labels: the header has no "${name}" column`);
    return i;
  };
  const at = { source: index('source'), environment: index('environment'), metric: index('metric') };
  const more = {
    kind: index('kind'),
    start: index('start'),
    end: index('end'),
    magnitude: index('magnitude'),
  };
  return lines.map((line, i) => {
    const cells = line.split(',');
    const where = `labels line ${i + 2}`;
    const cell = (column: number) => cells[column] ?? '';
    return {
      source: cell(at.source),
      environment: cell(at.environment),
      metric: metricOf(cell(at.metric), where),
      kind: cell(more.kind),
      startMs: timeOf(cell(more.start), `${where}: start`),
      endMs: timeOf(cell(more.end), `${where}: end`),
      magnitude: Number(cell(more.magnitude)),
    };
  });
}

function metricOf(text: string, where: string): Metric {
  if (!(METRICS as readonly string[]).includes(text))
    throw new Error(`${where}: metric must be one of ${METRICS.join(', ')}, not "${text}"`);
  return text as Metric;
}

function timeOf(text: string, where: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${where} is not an ISO-8601 time: "${text}"`);
  return ms;
}
