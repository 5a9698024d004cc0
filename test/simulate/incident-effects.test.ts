import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulate/simulation.js';
import { DAY_MS, type SimEvent, STATUSES } from '../../src/simulate/types.js';

interface Tally {
  metric: number;
  total: number;
}

/** For each incident: its metric's count and all transactions, in its window and in the same hours a week away. */
function tallyIncidents(seed: number) {
  const simulation = createSimulation({
    seed,
    days: 28,
    sources: 12,
    startMs: Date.parse('2026-01-05T00:00:00Z'),
  });
  const windows = simulation.incidents.map((incident) => {
    const earlier = incident.startMs - 7 * DAY_MS >= simulation.options.startMs;
    return {
      incident,
      shiftMs: (earlier ? -7 : 7) * DAY_MS,
      during: { metric: 0, total: 0 },
      reference: { metric: 0, total: 0 },
    };
  });
  for (const row of simulation.rows()) {
    for (const w of windows) {
      if (row.source !== w.incident.source || row.environment !== w.incident.environment) continue;
      const inside = (shiftMs: number) =>
        row.minuteMs >= w.incident.startMs + shiftMs && row.minuteMs < w.incident.endMs + shiftMs;
      const tally = inside(0) ? w.during : inside(w.shiftMs) ? w.reference : undefined;
      if (!tally) continue;
      const total = row.counts.reduce((a, b) => a + b, 0);
      tally.total += total;
      tally.metric +=
        w.incident.metric === 'traffic' ? total : (row.counts[STATUSES.indexOf(w.incident.metric)] ?? 0);
    }
  }
  // A reference window that holds another incident of the same series says nothing.
  const clean = (w: (typeof windows)[number]) =>
    !simulation.incidents.some(
      (o) =>
        o !== w.incident &&
        o.source === w.incident.source &&
        o.startMs < w.incident.endMs + w.shiftMs &&
        w.incident.startMs + w.shiftMs < o.endMs,
    );
  return windows.filter(clean);
}

const rate = (t: Tally) => t.metric / t.total;
/** The multiplier the kind applies on average over the incident (a ramp averages (1 + m) / 2). */
const meanMultiplier = (incident: SimEvent) =>
  incident.kind === 'slow_degradation' ? (1 + incident.magnitude) / 2 : incident.magnitude;

describe('labelled incidents', () => {
  const windows = [1, 2].flatMap(tallyIncidents);

  it('exist in every kind in the sample, silences of busy and of quiet sources included', () => {
    expect(new Set(windows.map((w) => w.incident.kind)).size).toBe(8);
  });

  describe('of a rate', () => {
    it('make the rate several times what it was in the same hours a week away', () => {
      const rates = windows.filter((w) => w.incident.metric !== 'traffic');
      expect(rates.length).toBeGreaterThan(10);
      for (const { incident, during, reference } of rates) {
        const ratio = rate(during) / rate(reference);
        expect(ratio, `${incident.kind} ×${incident.magnitude}`).toBeGreaterThan(
          Math.max(1.5, 0.6 * meanMultiplier(incident)),
        );
      }
    });
  });

  describe('of traffic', () => {
    it('take outages down to about their magnitude', () => {
      for (const { incident, during, reference } of windows.filter((w) => w.incident.kind === 'outage'))
        expect(during.total / reference.total).toBeLessThan(incident.magnitude + 0.1);
    });

    it('leave no rows at all in a silence', () => {
      const silences = windows.filter((w) => w.incident.kind.startsWith('silence_'));
      expect(silences.length).toBeGreaterThan(0);
      for (const { during, reference } of silences) {
        expect(during.total).toBe(0);
        expect(reference.total).toBeGreaterThan(0);
      }
    });

    it('multiply volume in surges', () => {
      for (const { incident, during, reference } of windows.filter((w) => w.incident.kind === 'surge'))
        expect(during.total / reference.total).toBeGreaterThan(0.6 * incident.magnitude);
    });
  });
});
