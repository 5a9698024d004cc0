import { describe, expect, it } from 'vitest';
import { decideMerge } from '../../src/alerts/alert-merge.js';
import { HOUR, hourAfter, occurrence, RAN, storedAlert } from './fixtures.js';

describe('decideMerge', () => {
  describe('when no alert with the key is open', () => {
    it('opens one with the occurrence as its first and last sighting, and says so in the audit trail', () => {
      const o = occurrence();
      expect(decideMerge(undefined, o)).toEqual({
        kind: 'open',
        alert: {
          source: 'card-eu',
          environment: 'production',
          api: null,
          metric: 'failed',
          severity: 'high',
          origin: 'detection',
          title: o.title,
          summary: o.summary,
          firstSeenAt: o.at,
          lastSeenAt: o.at,
          lastFinding: o.finding,
          lastEvaluatedHour: hourAfter(1),
        },
        events: [
          {
            kind: 'created',
            actor: 'ratewatch',
            channel: 'auto',
            detail: { severity: 'high', title: o.title },
          },
        ],
      });
    });

    it('opens an external alert without a finding or an evaluated hour', () => {
      const o = occurrence({ origin: 'external', finding: null, hourStart: undefined, actor: 'grafana' });
      const decision = decideMerge(undefined, o);
      expect(decision).toMatchObject({ kind: 'open', alert: { lastFinding: null, lastEvaluatedHour: null } });
    });
  });

  describe('when one is open', () => {
    it('merges: one more occurrence, the newest sighting, title, summary and finding, a new revision', () => {
      const o = occurrence();
      const decision = decideMerge(storedAlert({ occurrences: 3, revision: 5 }), o);
      expect(decision).toEqual({
        kind: 'merge',
        id: 42,
        severityRaised: false,
        change: {
          occurrences: 4,
          lastSeenAt: hourAfter(2),
          severity: 'high',
          title: o.title,
          summary: o.summary,
          lastFinding: o.finding,
          normalHours: 0,
          normalTicks: 0,
          recoveredAt: null,
          lastEvaluatedHour: hourAfter(1),
          revision: 6,
        },
        events: [
          {
            kind: 'merged',
            actor: 'ratewatch',
            channel: 'auto',
            detail: { severity: 'high', title: o.title },
          },
        ],
      });
    });

    it.each([
      ['low', 'high', 'high', false],
      ['medium', 'high', 'high', false],
      ['high', 'high', 'high', false],
      ['critical', 'high', 'critical', true],
      ['critical', 'low', 'critical', true],
    ] as const)(
      'a %s occurrence on a %s alert leaves it %s (raised: %s): severity only rises',
      (incoming, open, kept, raised) => {
        const decision = decideMerge(storedAlert({ severity: open }), occurrence({ severity: incoming }));
        expect(decision).toMatchObject({ kind: 'merge', severityRaised: raised, change: { severity: kept } });
        const kinds = decision.events.map((e) => e.kind);
        expect(kinds).toEqual(raised ? ['merged', 'severity_raised'] : ['merged']);
        if (raised) expect(decision.events[1]?.detail).toEqual({ from: open, to: kept });
      },
    );

    it('starts its recovery over: a metric abnormal again is not recovered', () => {
      const recovering = storedAlert({ normalHours: 1, normalTicks: 3, recoveredAt: RAN });
      expect(decideMerge(recovering, occurrence())).toMatchObject({
        change: { normalHours: 0, normalTicks: 0, recoveredAt: null },
      });
    });

    it.each([
      ['an occurrence seen later', hourAfter(5), hourAfter(5)],
      ['an occurrence reported with an earlier time', new Date(RAN.getTime() - 60_000), RAN],
    ])('keeps the latest sighting for %s', (_name, at, lastSeenAt) => {
      expect(decideMerge(storedAlert(), occurrence({ at }))).toMatchObject({ change: { lastSeenAt } });
    });

    it.each([
      ['a later evaluated hour moves it on', hourAfter(3), hourAfter(3)],
      ['an earlier hour (a late backfill) leaves it', new Date(HOUR.getTime() - 3_600_000), HOUR],
    ])('treats the evaluated hour: %s', (_name, hourStart, lastEvaluatedHour) => {
      expect(decideMerge(storedAlert(), occurrence({ hourStart }))).toMatchObject({
        change: { lastEvaluatedHour },
      });
    });

    it('keeps the finding and evaluated hour it has when an external producer merges in', () => {
      const external = occurrence({
        origin: 'external',
        finding: null,
        hourStart: undefined,
        channel: 'api',
      });
      const decision = decideMerge(storedAlert(), external);
      expect(decision.kind === 'merge' && decision.change).not.toHaveProperty('lastFinding');
      expect(decision.kind === 'merge' && decision.change).not.toHaveProperty('lastEvaluatedHour');
    });
  });
});
