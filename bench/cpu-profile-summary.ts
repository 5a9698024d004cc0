import { readFileSync } from 'node:fs';

/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time, by area of the code and by function, so a
 * benchmark can print what dominates without opening DevTools. Time in built-ins (JSON.parse, Map, …) is
 * counted to the nearest caller that has a source file, so "storage" includes the JSON.parse it calls.
 */
export interface ProfileSummary {
  /** Sampled milliseconds, idle excluded. */
  readonly busyMs: number;
  readonly areas: readonly { name: string; ms: number }[];
  readonly functions: readonly { name: string; ms: number }[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Areas by where the code lives; the first match wins. */
const AREAS: readonly [RegExp, string][] = [
  [/\/node_modules\/mysql2\//, 'mysql2 (protocol, row parsing)'],
  [/\/node_modules\/(ml-cart|ml-matrix|ml-array)/, 'ml-cart (trees)'],
  [/\/node_modules\/(bullmq|ioredis|msgpackr|cron-parser)/, 'queue (bullmq, ioredis)'],
  [/\/node_modules\/(@date-fns|date-fns)\//, 'time zones (@date-fns/tz)'],
  [/\/node_modules\/(tsx|esbuild|get-tsconfig)\//, 'tsx (start-up transpiling)'],
  [/\/node_modules\/pino/, 'logging (pino)'],
  [/\/src\/detection\//, 'detection'],
  [/\/src\/evaluation\//, 'evaluation (contexts, batch)'],
  [/\/src\/storage\//, 'storage (queries, row mapping)'],
  [/\/src\/|\/jobs\//, 'other ratewatch code'],
  [/^node:/, 'node internals (net, streams, timers)'],
];

export function summarizeProfile(path: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id) as ProfileNode;
    const name = node.callFrame.functionName;
    if (name === '(idle)') continue;
    busyMs += ms;
    const area = areaOf(node, byId, parentOf);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const label = `${name || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    functions.set(label, (functions.get(label) ?? 0) + ms);
  }
  return { busyMs, areas: sorted(areas), functions: sorted(functions).slice(0, 12) };
}

function areaOf(node: ProfileNode, byId: Map<number, ProfileNode>, parentOf: Map<number, number>): string {
  const name = node.callFrame.functionName;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)') return 'V8/native (program)';
  let current: ProfileNode | undefined = node;
  while (current && current.callFrame.url === '') {
    const parent = parentOf.get(current.id);
    current = parent === undefined ? undefined : byId.get(parent);
  }
  const url = current?.callFrame.url ?? '';
  return AREAS.find(([pattern]) => pattern.test(url))?.[1] ?? (url ? 'other libraries' : 'other');
}

function shortUrl(url: string): string {
  const at = url.search(/\/(node_modules|src|jobs)\//);
  return at >= 0 ? url.slice(at + 1) : url || '(native)';
}

function sorted(map: Map<string, number>): { name: string; ms: number }[] {
  return [...map].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}
