import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { oracleFindings } from '../../src/quality/oracle.js';
import { createSeriesModel } from '../../src/simulate/series-model.js';
import { createSimulation, type Simulation } from '../../src/simulate/simulation.js';
import { type CountRow, MINUTE_MS, OTHER_STATUSES } from '../../src/simulate/types.js';

const DAY_MINUTES = 1440;
const options = { seed: 1, days: 2, sources: 1, startMs: Date.parse('2026-01-05T00:00:00Z') };
const FAILED = 1 + OTHER_STATUSES.indexOf('failed');
// The second day, 14:00 UTC.
const STEP_HOUR = DAY_MINUTES + 14 * 60;

/**
 * One busy series that posts every minute exactly what its model expects (rounded), except where `change`
 * says otherwise: a simulation with nothing random left in it, so what the oracle pages is what was changed.
 */
function steadySimulation(
  change: (minute: number, counts: number[]) => number[] | undefined = (_, c) => c,
): Simulation {
  const base = createSimulation(options);
  const profile = {
    ...(base.series[0] as Simulation['series'][number]),
    peakPerMinute: 1_000,
    postsWhenIdle: true,
  };
  const model = createSeriesModel(profile, options);
  const shares = new Float64Array(OTHER_STATUSES.length);
  function* rows(): Generator<CountRow> {
    for (let minute = 0; minute < options.days * DAY_MINUTES; minute++) {
      const minuteMs = options.startMs + minute * MINUTE_MS;
      const volume = model.expectedMinute(minuteMs, shares);
      const others = [...shares].map((share) => Math.round(volume * share));
      const approved = Math.max(0, Math.round(volume) - others.reduce((a, b) => a + b, 0));
      const counts = change(minute, [approved, ...others]);
      if (counts) yield { minuteMs, source: profile.source, environment: profile.environment, counts };
    }
  }
  return { ...base, series: [profile], incidents: [], benign: [], rows };
}

/** The steady series with its failed rate ×4 (+5 a minute) for two hours from `start`. */
function failedStepFrom(start: number): Simulation {
  return steadySimulation((minute, counts) => {
    if (minute < start || minute >= start + 120) return counts;
    const failed = (counts[FAILED] ?? 0) * 4 + 5;
    return counts.map((n, i) => (i === FAILED ? failed : i === 0 ? Math.max(0, n - failed) : n));
  });
}

const minutesPast = (finding: { windowEndMs: number }) => (finding.windowEndMs - options.startMs) / MINUTE_MS;

describe('the oracle (what the simulated data allows, at ratewatch’s bars)', () => {
  it('stays quiet on a series that runs exactly as expected', () => {
    expect(oracleFindings(steadySimulation(), 10)).toEqual([]);
  });

  it('pages a ×4 failed-rate step from :07 at the :20 tick: 13 minutes at 1,000 a minute are plain against the true rate', () => {
    const simulation = failedStepFrom(STEP_HOUR + 7);
    const failed = oracleFindings(simulation, 10).filter((f) => f.metric === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(minutesPast(failed[0] as (typeof failed)[number]) - STEP_HOUR).toBe(20);
  });

  it('judges at the threshold it is given: the same step stays quiet at a score of 1,000', () => {
    const simulation = failedStepFrom(STEP_HOUR + 7);
    const strict = oracleFindings(simulation, 10, { ...DEFAULT_DETECTION, threshold: 1_000 });
    expect(strict.filter((f) => f.metric === 'failed')).toEqual([]);
  });

  it('pages a busy series that stops posting once it has been silent for silence_minutes', () => {
    const start = STEP_HOUR + 33;
    const simulation = steadySimulation((minute, counts) =>
      minute >= start && minute < start + 60 ? undefined : counts,
    );
    const [first] = oracleFindings(simulation, 10);
    expect(first).toMatchObject({ metric: 'traffic', windowStartMs: options.startMs + start * MINUTE_MS });
    // Silent from :33: 17 minutes at the :50 tick (12 at :45 falls between ticks).
    expect(minutesPast(first as NonNullable<typeof first>) - STEP_HOUR).toBe(50);
  });
});
