import { describe, expect, it } from 'vitest';
import { overdispersion } from '../../src/detection/count-score.js';
import { loadTree, type TreeModel, trainTree, treeFeatures } from '../../src/detection/decision-tree.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { HistoryHour } from '../../src/detection/types.js';
import { buildHistory, HOUR_MS, random, type Shape } from './helpers/history.js';

const settings = DEFAULT_DETECTION;
// Failures run at 3 % at night (00–06) and 1 % by day, on 200 or 2,000 transactions an hour.
const shape: Shape = {
  volume: (h) => (h < 6 ? 200 : 2_000),
  failed: (h) => (h < 6 ? 0.03 : 0.01),
};
const history = buildHistory(shape, 21);
const until = (history[history.length - 1] as HistoryHour).hourStart + HOUR_MS;

describe('treeFeatures', () => {
  it('is local hour, weekday, weekend and holiday flags, and log₂ volume rounded for rate trees', () => {
    // Saturday 14:00 on a holiday, 1,023 an hour: log₂(1,024) = 10.
    const position = { localHour: 14, weekday: 6, holiday: true };
    expect(treeFeatures(position, 1_023)).toEqual([14, 6, 1, 1, 10]);
    expect(treeFeatures(position, undefined)).toEqual([14, 6, 1, 1]);
  });
});

describe('trainTree', () => {
  it('learns the night and day failed rates', () => {
    const tree = loadTree(trainTree('failed', history, until, settings) as TreeModel);
    const night = tree.predict(treeFeatures({ localHour: 3, weekday: 2, holiday: false }, 200));
    const day = tree.predict(treeFeatures({ localHour: 15, weekday: 2, holiday: false }, 2_000));
    expect(night).toBeGreaterThan(0.025);
    expect(night).toBeLessThan(0.035);
    expect(day).toBeGreaterThan(0.008);
    expect(day).toBeLessThan(0.012);
  });

  it('records its training window and sample count', () => {
    const model = trainTree('failed', history, until, settings) as TreeModel;
    expect(model).toMatchObject({ metric: 'failed', trainedUntil: until, samples: 21 * 24 });
    expect(model.trainedFrom).toBe(until - settings.tree.trainingDays * 86_400_000);
  });

  it('leaves out hours that alerted on the metric', () => {
    const alerting = history.map((h, i) =>
      i % 2 === 0 ? { ...h, alerting: new Set(['failed'] as const) } : h,
    );
    expect(trainTree('failed', alerting, until, settings)?.samples).toBe((21 * 24) / 2);
  });

  it('trusts a tree fitted to a few days less than its residuals say: their spread × (1 + 96 / training hours)', () => {
    // Failed counts wander ×/÷ up to 1.5 from hour to hour, so the residuals have a spread to widen.
    const next = random(7);
    const wandering = history.map((h) => ({ ...h, failed: Math.round(h.failed * 1.5 ** (2 * next() - 1)) }));
    const residualSpread = (model: TreeModel, hours: readonly HistoryHour[]) => {
      const tree = loadTree(model);
      const fitted = hours.filter(
        (h) => h.hourStart >= model.trainedFrom && h.hourStart < model.trainedUntil,
      );
      return overdispersion(
        fitted.map((h) => ({
          observed: h.failed,
          expected: h.total * Math.max(tree.predict(treeFeatures(h, h.total)), model.floorRate),
        })),
      );
    };
    for (const [days, factor] of [
      [4, 2],
      [21, 1 + 96 / (21 * 24)],
    ] as const) {
      const hours = wandering.slice(wandering.length - days * 24);
      const model = trainTree('failed', hours, until, settings) as TreeModel;
      expect(model.samples).toBe(days * 24);
      expect(residualSpread(model, hours)).toBeGreaterThan(0);
      expect(model.spread).toBeCloseTo(residualSpread(model, hours) * factor, 10);
    }
  });

  it('returns undefined with fewer than half a week of hours to learn from', () => {
    expect(trainTree('failed', history.slice(0, 83), until, settings)).toBeUndefined();
  });
});

describe('a stored tree', () => {
  it('reloads from JSON with identical predictions', () => {
    const model = trainTree('failed', history, until, settings) as TreeModel;
    const stored = JSON.parse(JSON.stringify(model)) as TreeModel;
    const [before, after] = [loadTree(model), loadTree(stored)];
    for (let hour = 0; hour < 24; hour++) {
      for (const volume of [0, 50, 200, 2_000, 50_000]) {
        const features = treeFeatures({ localHour: hour, weekday: hour % 7, holiday: false }, volume);
        expect(after.predict(features)).toBe(before.predict(features));
      }
    }
    expect(stored).toEqual(model);
  });
});
