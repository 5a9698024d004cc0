import { describe, expect, it } from 'vitest';
import { parseFindingLine, parseLabelsCsv } from '../../src/quality/records.js';

describe('parseFindingLine', () => {
  it('keeps the series, metric and window of a finding', () => {
    const line =
      '{"source":"card-eu","environment":"production","metric":"failed","window_start":"2026-01-05T13:00:00.000Z",' +
      '"window_end":"2026-01-05T14:02:00.000Z","models":["zscore"],"score":7.2}';
    expect(parseFindingLine(line, 1)).toEqual({
      source: 'card-eu',
      environment: 'production',
      metric: 'failed',
      windowStartMs: Date.parse('2026-01-05T13:00:00Z'),
      windowEndMs: Date.parse('2026-01-05T14:02:00Z'),
    });
  });

  it('names the line when it is not JSON', () => {
    expect(() => parseFindingLine('progress: 10%', 4)).toThrow(/line 4 is not JSON/);
  });

  it('names the line and field when a field is missing or wrong', () => {
    expect(() => parseFindingLine('{"source":"a","environment":"p","metric":"failed"}', 2)).toThrow(
      /line 2: "window_start" is missing/,
    );
    const wrongMetric =
      '{"source":"a","environment":"p","metric":"latency","window_start":"x","window_end":"y"}';
    expect(() => parseFindingLine(wrongMetric, 3)).toThrow(/metric must be one of/);
  });
});

describe('parseLabelsCsv', () => {
  it('reads every incident with its window and magnitude', () => {
    const text =
      'source,environment,metric,kind,start,end,magnitude\n' +
      'card-eu,production,traffic,outage,2026-01-12T20:10:00Z,2026-01-12T20:40:00Z,0.05\n';
    expect(parseLabelsCsv(text)).toEqual([
      {
        source: 'card-eu',
        environment: 'production',
        metric: 'traffic',
        kind: 'outage',
        startMs: Date.parse('2026-01-12T20:10:00Z'),
        endMs: Date.parse('2026-01-12T20:40:00Z'),
        magnitude: 0.05,
      },
    ]);
  });

  it('reads a file with only the header as no incidents', () => {
    expect(parseLabelsCsv('source,environment,metric,kind,start,end,magnitude\n')).toEqual([]);
  });
});
