import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Finding, type Incident, parseFindingLine, parseLabelsCsv } from '../../src/quality/records.js';
import { matchesIncident, scoreFindings } from '../../src/quality/score-findings.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const incidents = parseLabelsCsv(fixture('labels.csv'));
const findings = fixture('findings.jsonl')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line, i) => parseFindingLine(line, i + 1));

// The fixtures, by hand: incidents A card-eu failed 10:30–12:00, B card-eu traffic 20:10–20:40, C wallet-us
// denied 05:15–06:00 (grace to 07:00). Findings: three consecutive card-eu failed hours from 10:00 (match A,
// one episode, TTD 11:02 − 10:30 = 32 min); card-eu failed 15:00 (false); card-eu traffic 20:00 (matches B,
// TTD 21:02 − 20:10 = 52 min); card-eu *staging* failed 10:00 (false); wallet-us denied 07:00 and 08:00
// (one false episode: 07:00 is not before the end of C's grace). 5 episodes, 2 true, 3 false.
describe('scoreFindings', () => {
  const score = scoreFindings({ findings, incidents, seriesCount: 3, days: 7 });

  describe('over all incidents and findings', () => {
    it('counts an incident caught when a finding of its series and metric overlaps it or the hour after', () => {
      expect(score.overall).toMatchObject({ incidents: 3, caught: 2 });
      expect(score.overall.recall).toBeCloseTo(2 / 3, 10);
    });

    it('measures time to detect from the incident start to the first matching window end', () => {
      expect(score.overall.ttdMedianMinutes).toBe(42);
      expect(score.overall.ttdP90Minutes).toBeCloseTo(50, 10);
    });

    it('merges consecutive hours of one series and metric into one episode', () => {
      expect(score.overall).toMatchObject({ episodes: 5, falseEpisodes: 3, falseEpisodesPerSourceWeek: 1 });
      expect(score.overall.episodePrecision).toBeCloseTo(0.4, 10);
    });

    it('reports the F1 of recall and episode precision', () => {
      expect(score.overall.f1).toBeCloseTo(0.5, 10);
    });
  });

  describe('per metric', () => {
    it('scores each metric on its own incidents and episodes', () => {
      expect(score.byMetric.failed).toMatchObject({ incidents: 1, caught: 1, episodes: 3, falseEpisodes: 2 });
      expect(score.byMetric.failed.f1).toBeCloseTo(0.5, 10);
      expect(score.byMetric.denied).toMatchObject({ recall: 0, episodes: 1, episodePrecision: 0, f1: 0 });
      expect(score.byMetric.traffic).toMatchObject({
        recall: 1,
        episodePrecision: 1,
        f1: 1,
        ttdMedianMinutes: 52,
      });
    });

    it('leaves ratios undefined for a metric with no incidents and no findings', () => {
      expect(score.byMetric.reversed).toMatchObject({
        incidents: 0,
        recall: null,
        episodePrecision: null,
        f1: null,
      });
    });
  });

  describe('per incident kind', () => {
    it('reports recall and time to detect', () => {
      expect(score.byKind).toEqual({
        denied_spike: { incidents: 1, caught: 0, recall: 0, ttdMedianMinutes: null, ttdP90Minutes: null },
        failed_step: { incidents: 1, caught: 1, recall: 1, ttdMedianMinutes: 32, ttdP90Minutes: 32 },
        outage: { incidents: 1, caught: 1, recall: 1, ttdMedianMinutes: 52, ttdP90Minutes: 52 },
      });
    });
  });

  describe('false alerts that keep coming', () => {
    const alarm = (start: string, end: string): Finding => ({
      source: 'wallet-us',
      environment: 'production',
      metric: 'reversed',
      windowStartMs: Date.parse(start),
      windowEndMs: Date.parse(end),
    });
    const episodesOf = (list: Finding[]) =>
      scoreFindings({ findings: list, incidents, seriesCount: 3, days: 7 }).overall.falseEpisodes;

    it('wake people once while the next window starts less than 30 minutes after the last one ended', () => {
      const ticks = [
        alarm('2026-01-13T02:00:00Z', '2026-01-13T02:20:00Z'),
        alarm('2026-01-13T02:49:00Z', '2026-01-13T03:00:00Z'),
      ];
      expect(episodesOf(ticks)).toBe(1);
    });

    it('wake people again after a quiet half hour', () => {
      const apart = [
        alarm('2026-01-13T02:00:00Z', '2026-01-13T02:20:00Z'),
        alarm('2026-01-13T02:50:00Z', '2026-01-13T03:00:00Z'),
      ];
      expect(episodesOf(apart)).toBe(2);
    });
  });

  describe('when there are no findings', () => {
    it('catches nothing and has no episodes', () => {
      const empty = scoreFindings({ findings: [], incidents, seriesCount: 3, days: 7 });
      expect(empty.overall).toMatchObject({
        caught: 0,
        recall: 0,
        episodes: 0,
        episodePrecision: null,
        f1: 0,
      });
    });
  });
});

describe('matchesIncident', () => {
  const incident = incidents[0] as Incident; // card-eu production failed, 10:30–12:00
  const at = (start: string, end: string, metric: Finding['metric'] = 'failed'): Finding => ({
    source: 'card-eu',
    environment: 'production',
    metric,
    windowStartMs: Date.parse(start),
    windowEndMs: Date.parse(end),
  });

  it.each([
    ['a window ending exactly at the start', at('2026-01-12T09:30:00Z', '2026-01-12T10:30:00Z'), false],
    ['a window ending a minute into the incident', at('2026-01-12T09:31:00Z', '2026-01-12T10:31:00Z'), true],
    ['a window starting 59 minutes after the end', at('2026-01-12T12:59:00Z', '2026-01-12T13:59:00Z'), true],
    ['a window starting 60 minutes after the end', at('2026-01-12T13:00:00Z', '2026-01-12T14:00:00Z'), false],
    ['a window of another metric', at('2026-01-12T11:00:00Z', '2026-01-12T12:00:00Z', 'denied'), false],
  ])('for %s is %s', (_, finding, expected) => {
    expect(matchesIncident(finding, incident)).toBe(expected);
  });
});
