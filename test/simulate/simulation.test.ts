import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCountRowFormatter } from '../../src/simulate/csv-format.js';
import { createSimulation, type Simulation } from '../../src/simulate/simulation.js';
import {
  type CountRow,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  type SimulationOptions,
} from '../../src/simulate/types.js';

const START_MS = Date.parse('2026-01-05T00:00:00Z');
const options = (overrides: Partial<SimulationOptions>): SimulationOptions => ({
  seed: 1,
  days: 3,
  sources: 6,
  startMs: START_MS,
  ...overrides,
});

function digest(simulation: Simulation): string {
  const hash = createHash('sha256');
  const format = createCountRowFormatter();
  for (const row of simulation.rows()) hash.update(format(row));
  return hash.digest('hex');
}

const seriesKey = (row: { source: string; environment: string }) => `${row.source}/${row.environment}`;

describe('createSimulation', () => {
  describe('when run twice with the same options', () => {
    it('produces the same profiles, events and rows', () => {
      const [a, b] = [createSimulation(options({})), createSimulation(options({}))];
      expect(b.series).toEqual(a.series);
      expect(b.benign).toEqual(a.benign);
      expect(digest(b)).toBe(digest(a));
    });
  });

  describe('when the seed changes', () => {
    it('produces other data', () => {
      expect(digest(createSimulation(options({ seed: 2 })))).not.toBe(digest(createSimulation(options({}))));
    });
  });

  describe('when asked for fewer sources', () => {
    it('keeps the first sources exactly as they were', () => {
      const few = createSimulation(options({ sources: 5 })).series;
      const many = createSimulation(options({ sources: 24 })).series;
      for (const profile of few) expect(many).toContainEqual(profile);
    });
  });

  describe('the sources it draws', () => {
    const series = createSimulation(options({ sources: 24 })).series;

    it('range from a few transactions an hour to thousands a minute', () => {
      const peaks = series.filter((s) => s.environment === 'production').map((s) => s.peakPerMinute);
      expect(Math.min(...peaks)).toBeLessThan(0.2);
      expect(Math.max(...peaks)).toBeGreaterThan(1000);
    });

    it('include staging environments much smaller than production', () => {
      const staging = series.filter((s) => s.environment === 'staging');
      expect(staging.length).toBeGreaterThan(0);
      for (const s of staging) {
        const production = series.find((p) => p.source === s.source && p.environment === 'production');
        expect(s.peakPerMinute).toBeLessThan((production?.peakPerMinute ?? 0) * 0.03);
      }
    });
  });

  describe('rows', () => {
    const simulation = createSimulation(options({ seed: 3, sources: 12, days: 7 }));
    const rows = [...simulation.rows()];
    const minutes = (7 * DAY_MS) / MINUTE_MS;
    const rowsOf = (key: string) => rows.filter((row) => seriesKey(row) === key);

    it('come sorted by minute, then source and environment', () => {
      const keys = rows.map((r) => `${String(r.minuteMs).padStart(15, '0')} ${seriesKey(r)}`);
      expect(keys).toEqual([...keys].sort());
    });

    it('omit idle minutes of a source that posts nothing when idle', () => {
      const quiet = simulation.series.filter((s) => !s.postsWhenIdle).map(seriesKey);
      expect(quiet.length).toBeGreaterThan(0);
      const total = (row: CountRow) => row.counts.reduce((a, b) => a + b, 0);
      for (const key of quiet) expect(rowsOf(key).every((row) => total(row) > 0)).toBe(true);
      expect(Math.min(...quiet.map((key) => rowsOf(key).length))).toBeLessThan(minutes / 2);
    });

    it('miss a few minutes of a source that posts every minute', () => {
      const posting = simulation.series.filter((s) => s.postsWhenIdle).map(seriesKey);
      for (const key of posting) {
        const share = rowsOf(key).length / minutes;
        expect(share).toBeGreaterThan(0.97);
        expect(share).toBeLessThan(0.9999);
      }
    });
  });
});

describe('incidents', () => {
  const simulations = [1, 2, 3].map((seed) => createSimulation(options({ seed, sources: 24, days: 35 })));
  const incidents = simulations.flatMap((s) => s.incidents);

  it('are about one per source per 10 days, of every kind, plus a silence per source every 60 days or so', () => {
    const silences = incidents.filter((i) => i.kind.startsWith('silence_'));
    expect((incidents.length - silences.length) / 3).toBeGreaterThan(24 * 2);
    expect((incidents.length - silences.length) / 3).toBeLessThan(24 * 4);
    expect(silences.length / 3).toBeGreaterThan(4);
    expect(silences.length / 3).toBeLessThan(20);
    expect(new Set(incidents.map((i) => i.kind)).size).toBe(8);
  });

  it('keep the other incidents exactly where they were before silences were added', () => {
    // Silences draw from their own random streams: seed 1 still holds its 56 other incidents.
    expect(simulations[0]?.incidents.filter((i) => !i.kind.startsWith('silence_')).length).toBe(56);
  });

  it('start after the first five days, never on the hour, and end two hours before the data', () => {
    for (const incident of incidents) {
      expect(incident.startMs).toBeGreaterThanOrEqual(START_MS + 5 * DAY_MS);
      expect(incident.startMs % HOUR_MS).not.toBe(0);
      expect(incident.endMs).toBeLessThanOrEqual(START_MS + 35 * DAY_MS - 2 * HOUR_MS);
    }
  });

  it('never overlap on the same source', () => {
    for (const simulation of simulations) {
      for (const a of simulation.incidents) {
        const clash = simulation.incidents.filter(
          (b) => b !== a && b.source === a.source && b.startMs < a.endMs && a.startMs < b.endMs,
        );
        expect(clash).toEqual([]);
      }
    }
  });

  it('keep benign events at least two hours away', () => {
    for (const simulation of simulations) {
      for (const event of simulation.benign) {
        const near = simulation.incidents.filter(
          (i) =>
            i.source === event.source &&
            i.startMs < event.endMs + 2 * HOUR_MS &&
            event.startMs < i.endMs + 2 * HOUR_MS,
        );
        expect(near).toEqual([]);
      }
    }
  });
});
