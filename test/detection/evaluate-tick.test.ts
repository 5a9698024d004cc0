import { describe, expect, it } from 'vitest';
import { bandFromJson, bandModels, bandOf, bandToJson } from '../../src/detection/band.js';
import { sumCounts } from '../../src/detection/blocks.js';
import { candidateWindows, windowPenaltyShape } from '../../src/detection/candidate-windows.js';
import {
  type LoadedTree,
  loadTree,
  trainTree,
  treeRateExpectation,
  treeRateSteps,
} from '../../src/detection/decision-tree.js';
import { evaluateHour, seriesContext } from '../../src/detection/evaluate-hour.js';
import { evaluateTick, type TickInput, tickWindows } from '../../src/detection/evaluate-tick.js';
import { metricModels } from '../../src/detection/metric-models.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { type HistoryHour, METRICS, type Metric, type WindowCounts } from '../../src/detection/types.js';
import { decide } from '../../src/detection/window-verdict.js';
import { buildHistory, historyUntilLocalHour, nextHour, type Shape } from './helpers/history.js';

const settings = DEFAULT_DETECTION;
const MINUTE_MS = 60_000;

function treesOf(history: readonly HistoryHour[]): Partial<Record<Metric, LoadedTree>> {
  const until = (history[history.length - 1]?.hourStart ?? 0) + 3_600_000;
  const trees: Partial<Record<Metric, LoadedTree>> = {};
  for (const metric of METRICS) {
    const model = trainTree(metric, history, until, settings);
    if (model) trees[metric] = loadTree(model);
  }
  return trees;
}

// A card acquirer posting every minute: 2,000 transactions an hour by day, 30 at night; failed 1 %.
const shape: Shape = {
  volume: (h) => (h >= 7 && h < 22 ? 2_000 : 30),
  failed: () => 0.01,
  denied: () => 0.04,
  reversed: () => 0.003,
};
const history = buildHistory(shape, 28);
const trees = treesOf(history);
const past = historyUntilLocalHour(history, 14);
const hour = nextHour(past, { minutes: 60, total: 2_000, failed: 20, denied: 80, reversed: 6 });
const band = bandOf(hour.hourStart, hour.position, past, trees, settings);

const block = (total: number, failed: number, minutes = 10): WindowCounts => ({
  minutes,
  total,
  failed,
  denied: Math.round(total * 0.04),
  reversed: Math.round(total * 0.003),
});

function tick(minutesPast: number, blocks: readonly WindowCounts[], lastReportedMinute?: number): TickInput {
  const at = hour.hourStart + minutesPast * MINUTE_MS;
  return {
    source: 'card-eu',
    environment: 'production',
    at,
    hourStart: hour.hourStart,
    blocks,
    lastReportedMinute: lastReportedMinute ?? at - MINUTE_MS,
  };
}

describe('the band of an hour', () => {
  it('round-trips through JSON exactly', () => {
    const json = bandToJson(band);
    expect(bandFromJson(json)).toEqual(band);
    expect(bandToJson(bandFromJson(json))).toBe(json);
  });

  it('refuses JSON that is not a band', () => {
    expect(() => bandFromJson('{"hourStart": 1}')).toThrow();
  });

  it('knows the series is established and posts every minute', () => {
    expect(band.established).toBe(true);
    expect(band.pace).toBe(60);
    expect(band.rates.failed?.map((m) => m.model)).toEqual(['zscore', 'tree']);
    expect(band.traffic.map((m) => m.model)).toEqual(['zscore', 'tree']);
  });

  it('judges every window of the hour exactly as the hourly core does', () => {
    const blocks = [
      block(330, 3),
      block(330, 4),
      block(340, 12),
      block(330, 14),
      block(330, 15),
      block(340, 2),
    ];
    const counts = blocks.reduce((sum, b) => ({
      minutes: sum.minutes + b.minutes,
      total: sum.total + b.total,
      failed: sum.failed + b.failed,
      denied: sum.denied + b.denied,
      reversed: sum.reversed + b.reversed,
    }));
    const input = { ...hour, counts, blocks };
    const { recent, pace } = seriesContext(hour.hourStart, past, settings);
    const windows = candidateWindows(input, recent, settings, pace);
    for (const metric of METRICS) {
      const core = metricModels(metric, hour.position, recent, trees[metric], settings);
      const fromBand = bandModels(band, metric);
      for (const window of windows) {
        expect(decide(input, metric, window, fromBand, settings)).toEqual(
          decide(input, metric, window, core, settings),
        );
      }
      // Rate expectations agree at every volume, not only the ones these windows happen to have.
      const volumes = Array.from({ length: 40 }, (_, k) => [2 ** k - 1, 1.4 * 2 ** k]).flat();
      for (const volume of volumes) {
        core.forEach((model, i) => {
          const other = fromBand[i];
          if (model.kind === 'rate' && other?.kind === 'rate') {
            expect(other.expectedRate(volume)).toBe(model.expectedRate(volume));
          }
        });
      }
    }
  });

  it("holds a tree's rate exactly, bucket by bucket, when the rate moves with volume", () => {
    // Volume 20 … 5,120 an hour across the day; above 1,000 an hour the series fails five times as often.
    const volume = (h: number) => 20 * 2 ** (h % 9);
    const loaded = buildHistory({ volume, failed: (h) => (volume(h) > 1_000 ? 0.05 : 0.01) }, 28);
    const model = trainTree(
      'failed',
      loaded,
      (loaded[loaded.length - 1]?.hourStart ?? 0) + 3_600_000,
      settings,
    );
    if (!model) throw new Error('the tree should train');
    const tree = loadTree(model);
    for (const position of [
      { localHour: 3, weekday: 2, holiday: false },
      { localHour: 12, weekday: 6, holiday: true },
    ]) {
      const steps = treeRateSteps(tree, position, 48);
      expect(steps.length).toBeGreaterThan(1);
      const expected = treeRateExpectation(tree, position);
      for (let bucket = 0; bucket < 48; bucket++) {
        const rate = steps.filter(([from]) => from <= bucket).at(-1)?.[1];
        expect(rate).toBe(expected.expectedRate(2 ** bucket - 1));
      }
    }
  });

  it('leaves a series in cold start without models (ticks leave it to the hourly run)', () => {
    const young = bandOf(history[48]?.hourStart ?? 0, hour.position, history.slice(0, 48), {}, settings);
    expect(young.established).toBe(false);
    expect(young.traffic).toEqual([]);
    expect(evaluateTick(tick(30, [block(330, 60), block(330, 60), block(330, 60)]), young, settings)).toEqual(
      {
        findings: [],
        normal: [],
      },
    );
  });
});

describe('the windows of a tick', () => {
  it('are the tails ending at the tick, each with its window penalty plus the tick penalty', () => {
    const windows = tickWindows(
      tick(40, [block(330, 3), block(330, 3), block(330, 3), block(330, 3)]),
      band,
      settings,
    );
    expect(windows.map((w) => [(w.start - hour.hourStart) / MINUTE_MS, Math.round(w.fraction * 60)])).toEqual(
      [
        [0, 40],
        [10, 30],
        [20, 20],
        [30, 10],
      ],
    );
    expect(windows.map((w) => w.penalty)).toEqual(
      [4, 3, 2, 1].map((b) => settings.spanPenalty * windowPenaltyShape(b) + settings.tickPenalty),
    );
  });

  it('between block boundaries, end at the tick and expect only the elapsed part of its block', () => {
    const windows = tickWindows(tick(25, [block(330, 3), block(330, 3), block(165, 2, 5)]), band, settings);
    expect(windows.map((w) => [(w.start - hour.hourStart) / MINUTE_MS, Math.round(w.fraction * 60)])).toEqual(
      [
        [0, 25],
        [10, 15],
        [20, 5],
      ],
    );
    // The half-elapsed block expects half its share of the hour (and half its rows), not a whole block's.
    const [whole, , last] = windows;
    expect(last?.share).toBeCloseTo((band.blockShares[2] ?? 0) / 2, 12);
    expect(whole?.blockShares.at(-1)).toBeCloseTo((band.blockShares[2] ?? 0) / 2, 12);
    expect(last?.traffic?.total).toBeCloseTo(165, 9);
    // A tick between boundaries is one more look at nearly the windows of the ticks around it: half a point more.
    expect(windows.map((w) => w.penalty)).toEqual(
      [2.5, 1.5, 0.5].map((b) => settings.spanPenalty * windowPenaltyShape(b) + settings.tickPenalty + 0.5),
    );
  });

  it('count a block with no rows yet as nothing reported', () => {
    const windows = tickWindows(tick(20, [block(330, 3)]), band, settings);
    expect(windows[1]?.counts.minutes).toBe(0);
  });
});

describe('a tick', () => {
  it('raises nothing for an ordinary half hour, and calls every metric normal', () => {
    const result = evaluateTick(tick(30, [block(330, 3), block(340, 4), block(330, 3)]), band, settings);
    expect(result.findings).toEqual([]);
    expect(result.normal).toEqual(['failed', 'denied', 'reversed', 'traffic']);
  });

  it('raises a failed-rate rise that began at :10, ending at the tick', () => {
    const blocks = [block(330, 3), block(330, 30), block(340, 33), block(330, 32)];
    const { findings } = evaluateTick(tick(40, blocks), band, settings);
    expect(findings.map((f) => f.metric)).toEqual(['failed']);
    expect(findings[0]?.windowEnd.getTime()).toBe(hour.hourStart + 40 * MINUTE_MS);
    expect(findings[0]?.windowStart.getTime()).toBe(hour.hourStart + 10 * MINUTE_MS);
  });

  it('does not page a rate on its last ten minutes alone', () => {
    const blocks = [block(330, 3), block(330, 3), block(340, 60)];
    const { findings } = evaluateTick(tick(30, blocks), band, settings);
    expect(findings.filter((f) => f.metric === 'failed')).toEqual([]);
  });

  it('does not call a ten-minute lull to half an outage (a 10-minute drop must fall below ×0.3)', () => {
    const lull = [block(330, 3), block(330, 3), block(160, 2)];
    expect(evaluateTick(tick(30, lull), band, settings).findings).toEqual([]);
    const outage = [block(330, 3), block(330, 3), block(20, 0)];
    const { findings } = evaluateTick(tick(30, outage), band, settings);
    expect(findings.map((f) => [f.metric, f.direction])).toEqual([['traffic', 'down']]);
  });

  it('raises a traffic drop in the last twenty minutes', () => {
    const blocks = [block(330, 3), block(330, 3), block(30, 0), block(25, 0)];
    const { findings } = evaluateTick(tick(40, blocks), band, settings);
    expect(findings.map((f) => [f.metric, f.direction])).toEqual([['traffic', 'down']]);
  });

  it('raises an outage of a source that still posts a stray minute now and then', () => {
    // 5 of the last 20 minutes posted, with 7 transactions where about 660 were expected: not missing data.
    const blocks = [block(330, 3), block(330, 3), block(4, 0, 3), block(3, 0, 2)];
    const { findings } = evaluateTick(tick(40, blocks, hour.hourStart + 38 * MINUTE_MS), band, settings);
    expect(findings.map((f) => [f.metric, f.direction])).toEqual([['traffic', 'down']]);
  });

  it('does not read a surge into a thinly reported stretch (its missing minutes may be lost posts)', () => {
    const blocks = [block(330, 3), block(330, 3), block(400, 4, 3), block(300, 3, 2)];
    const { findings } = evaluateTick(tick(40, blocks, hour.hourStart + 38 * MINUTE_MS), band, settings);
    expect(findings.filter((f) => f.metric === 'traffic')).toEqual([]);
  });

  describe('between block boundaries (every 5 minutes)', () => {
    it('calls an ordinary 25 minutes normal: five minutes of a block are half a block, not a drop', () => {
      const result = evaluateTick(tick(25, [block(330, 3), block(340, 4), block(165, 2, 5)]), band, settings);
      expect(result.findings).toEqual([]);
      expect(result.normal).toEqual(['failed', 'denied', 'reversed', 'traffic']);
    });

    it('raises at :25 a failed-rate rise that began at :05, on the minutes up to the tick', () => {
      const blocks = [block(330, 18), block(330, 30), block(165, 16, 5)];
      const { findings } = evaluateTick(tick(25, blocks), band, settings);
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      expect(findings[0]?.windowEnd.getTime()).toBe(hour.hourStart + 25 * MINUTE_MS);
      expect(findings[0]?.counts.total).toBe(330 + 330 + 165);
    });

    it('raises at :35 an outage that began at :20, five minutes before the :40 tick would', () => {
      const blocks = [block(330, 3), block(330, 3), block(8, 0), block(4, 0, 5)];
      const { findings } = evaluateTick(tick(35, blocks), band, settings);
      expect(findings.map((f) => [f.metric, f.direction])).toEqual([['traffic', 'down']]);
      expect(findings[0]?.windowEnd.getTime()).toBe(hour.hourStart + 35 * MINUTE_MS);
    });
  });

  describe('with the previous hour at hand', () => {
    const before = past.slice(0, -1);
    const last = past[past.length - 1] as HistoryHour;
    const previousBand = bandOf(last.hourStart, last, before, trees, settings);
    // 13:00–14:00 was normal until 13:30; from then on the series fails three times as often.
    const previousBlocks = [3, 4, 3, 10, 11, 10].map((failed) => block(330, failed));

    it('pages at 14:10 an incident that began at 13:30, judging all its minutes', () => {
      const input = {
        ...tick(10, [block(330, 10)]),
        previous: { band: previousBand, blocks: previousBlocks },
      };
      const { findings } = evaluateTick(input, band, settings);
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      expect(findings[0]?.windowStart.getTime()).toBeLessThan(hour.hourStart);
      expect(findings[0]?.windowEnd.getTime()).toBe(hour.hourStart + 10 * MINUTE_MS);
    });

    it('pages at 14:05 the same incident on the 35 minutes up to the tick', () => {
      const input = {
        ...tick(5, [block(165, 5, 5)]),
        previous: { band: previousBand, blocks: previousBlocks },
      };
      const { findings } = evaluateTick(input, band, settings);
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      expect(findings[0]?.windowStart.getTime()).toBe(hour.hourStart - 30 * MINUTE_MS);
      expect(findings[0]?.windowEnd.getTime()).toBe(hour.hourStart + 5 * MINUTE_MS);
    });

    it('sees only the ten minutes of this hour without it, too short for a rate', () => {
      expect(evaluateTick(tick(10, [block(330, 10)]), band, settings).findings).toEqual([]);
    });

    // 13:00–14:00 failed twice as often as usual (39 of 1,980): too little for the hourly run to page that hour.
    const doubled = [6, 7, 6, 7, 6, 7].map((failed) => block(330, failed));
    const stillDoubled = (minutesPast: number) => ({
      ...tick(
        minutesPast,
        [7, 6, 7, 6, 7].slice(0, minutesPast / 10).map((failed) => block(330, failed)),
      ),
      previous: { band: previousBand, blocks: doubled },
    });

    it('pages at 14:30 a rate doubled since 13:00 that no window of an hour shows, over the 90 minutes', () => {
      const lastHour = {
        source: 'card-eu',
        environment: 'production',
        hourStart: last.hourStart,
        evaluatedAt: hour.hourStart,
        counts: sumCounts(doubled),
        blocks: doubled,
        position: last,
      };
      const hourly = evaluateHour(lastHour, before, trees, settings);
      expect(hourly.findings).toEqual([]);
      expect(evaluateTick(stillDoubled(20), band, settings).findings).toEqual([]);
      const { findings } = evaluateTick(stillDoubled(30), band, settings);
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      expect(findings[0]?.windowStart.getTime()).toBe(last.hourStart);
      expect(findings[0]?.expectedRate).toBeCloseTo(0.01, 3);
    });

    it('raises nothing when both hours are ordinary', () => {
      const ordinary = [3, 4, 3, 3, 4, 3].map((failed) => block(330, failed));
      const input = {
        ...tick(20, [block(330, 3), block(330, 4)]),
        previous: { band: previousBand, blocks: ordinary },
      };
      expect(evaluateTick(input, band, settings).findings).toEqual([]);
    });
  });

  it("leaves traffic in a series' first week to the hourly run (its weekly cycle is not known yet)", () => {
    const young = historyUntilLocalHour(buildHistory(shape, 5), 14);
    const next = nextHour(young, { minutes: 60, total: 2_000, failed: 20, denied: 80, reversed: 6 });
    const firstWeek = bandOf(next.hourStart, next.position, young, {}, settings);
    expect(firstWeek.established).toBe(true);
    expect(firstWeek.traffic.some((m) => m.provisional)).toBe(true);
    const blocks = [block(330, 3), block(330, 3), block(30, 0), block(25, 0)];
    const input = { ...tick(40, blocks), at: next.hourStart + 40 * MINUTE_MS, hourStart: next.hourStart };
    const result = evaluateTick(input, firstWeek, settings);
    expect(result.findings).toEqual([]);
    expect(result.normal).not.toContain('traffic');
  });

  it('refuses an instant that is not a whole minute inside the hour or at its end', () => {
    expect(() => evaluateTick(tick(35.5, []), band, settings)).toThrow();
    expect(() => evaluateTick(tick(0, []), band, settings)).toThrow();
    expect(() => evaluateTick(tick(70, []), band, settings)).toThrow();
  });
});
