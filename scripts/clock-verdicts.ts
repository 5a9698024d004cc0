/**
 * Which daylight-saving clock detection infers for each series of a simulated run, cut-off by daily cut-off
 * (`inferDaylightSavingZone`, src/detection/daylight-saving.ts), beside the zone the simulator gave the source:
 *
 *   npm run cli -- simulate --seed 1 --start 2026-03-02T00:00:00Z --out .tmp/eval-dst1
 *   npx tsx scripts/clock-verdicts.ts .tmp/eval-dst1
 *
 * One line per series: its zone and peak transactions a minute, then `day N: zone` at each cut-off where the
 * verdict changes (`-`: none, judged in UTC). Which hours alerted is not known here, so none is left out for it
 * (the replay leaves out hours whose traffic alerted); otherwise it reads the same hours a replay does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inferDaylightSavingZone } from '../src/detection/daylight-saving.js';
import { DEFAULT_DETECTION } from '../src/detection/settings.js';
import { readHourlyCounts } from '../src/quality/read-inputs.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface SimulatedSource {
  readonly name: string;
  readonly environment: string;
  readonly time_zone: string;
  readonly peak_per_minute: number;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/clock-verdicts.ts <directory of a simulation>');
  process.exit(2);
}
const info = JSON.parse(readFileSync(join(dir, 'sources.json'), 'utf8')) as {
  start: string;
  days: number;
  sources: SimulatedSource[];
};
const start = Date.parse(info.start);
const { series } = await readHourlyCounts(join(dir, 'counts.csv'));
for (const { source, environment, hours } of series) {
  const simulated = info.sources.find((s) => s.name === source && s.environment === environment);
  const history = Array.from({ length: info.days * 24 }, (_, i) => {
    const hourStart = start + i * HOUR_MS;
    return { hourStart, total: hours.get(hourStart)?.total ?? 0 };
  });
  const changes: string[] = [];
  let last = '-';
  for (let day = 1; day <= info.days; day++) {
    const cutoff = start + day * DAY_MS;
    const zone =
      inferDaylightSavingZone(history, (h) => h.total, cutoff, DEFAULT_DETECTION.tree.trainingDays) ?? '-';
    if (zone !== last) changes.push(`day ${day}: ${zone}`);
    last = zone;
  }
  const peak = simulated ? simulated.peak_per_minute.toFixed(1) : '?';
  console.log(
    `${source}/${environment}`.padEnd(30),
    `${simulated?.time_zone ?? '?'} (${peak}/min)`.padEnd(32),
    changes.join(', ') || 'never',
  );
}
