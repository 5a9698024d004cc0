import { describe, expect, it } from 'vitest';
import type { ApiIncident, ScoredApiFinding } from '../../src/quality/api-records.js';
import { parseApiFindingLine } from '../../src/quality/api-records.js';
import { scoreApiFindings } from '../../src/quality/score-api-findings.js';

const T0 = Date.parse('2026-01-10T10:00:00Z');
const MIN = 60_000;
const incident: ApiIncident = {
  source: 'checkout-api',
  environment: 'production',
  api: 'POST /v1/payments',
  metric: 'errors',
  kind: 'error_spike',
  startMs: T0 + 10 * MIN,
  endMs: T0 + 70 * MIN,
  magnitude: 8,
};
const finding = (api: string, metric: string, startMin: number): ScoredApiFinding => ({
  source: 'checkout-api',
  environment: 'production',
  api,
  metric,
  windowStartMs: T0 + startMin * MIN,
  windowEndMs: T0 + (startMin + 60) * MIN + 2 * MIN,
});

describe('scoreApiFindings', () => {
  const score = scoreApiFindings({
    findings: [
      finding('POST /v1/payments', 'errors', 0),
      finding('POST /v1/payments', 'errors', 60),
      // Another API of the same source: its errors do not catch this API's incident, and are a false episode.
      finding('GET /v1/items', 'errors', 0),
      finding('POST /v1/payments', 'latency', 600),
    ],
    incidents: [incident],
    seriesCount: 2,
    days: 7,
  });

  it('catches an incident only with a finding of the same api and metric', () => {
    expect(score.byMetric.errors).toMatchObject({ incidents: 1, caught: 1, episodes: 2, falseEpisodes: 1 });
    expect(score.overall.ttdMedianMinutes).toBe(52);
  });

  it('names the groups by API metric and counts false episodes per API-week', () => {
    expect(Object.keys(score.byMetric)).toEqual(['errors', 'silent_failures', 'latency', 'traffic']);
    expect(score.byMetric.latency).toMatchObject({ episodes: 1, falseEpisodes: 1 });
    expect(score.overall.falseEpisodesPerSourceWeek).toBeCloseTo(1, 10);
  });
});

describe('parseApiFindingLine', () => {
  it('reads api and metric from a findings line', () => {
    const line =
      '{"source":"checkout-api","environment":"production","api":"POST /v1/payments","metric":"latency","window_start":"2026-01-10T10:00:00.000Z","window_end":"2026-01-10T11:02:00.000Z"}';
    expect(parseApiFindingLine(line, 1)).toEqual({
      source: 'checkout-api',
      environment: 'production',
      api: 'POST /v1/payments',
      metric: 'latency',
      windowStartMs: T0,
      windowEndMs: T0 + 62 * MIN,
    });
  });

  it('names the line when api is missing', () => {
    expect(() => parseApiFindingLine('{"source":"a","environment":"b","metric":"errors"}', 7)).toThrow(
      'findings line 7: "api" is missing',
    );
  });
});
