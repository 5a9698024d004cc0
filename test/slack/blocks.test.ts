import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../src/alerts/alert.js';
import type { Finding } from '../../src/detection/types.js';
import { alertListMessage } from '../../src/slack/blocks/alert-list.js';
import { alertCard } from '../../src/slack/blocks/card.js';
import { digestCard } from '../../src/slack/blocks/digest.js';
import { threadReplyText } from '../../src/slack/blocks/thread-reply.js';
import { actorText, escapeText } from '../../src/slack/escape.js';
import { fallbackNote } from '../../src/slack/fallback-note.js';
import { ACTION } from '../../src/slack/ids.js';
import { aFinding, anAlert } from '../helpers/alerts.js';
import { blockText } from '../helpers/slack.js';

const NASTY = '<!channel> pay now <https://evil.example|here> & <@U0EVIL> <!here>';

const FINDING: Finding = aFinding({
  observedRate: 0.0841,
  expectedRate: 0.0159,
  score: 7.25,
  counts: { observed: 1530, expected: 290, excess: 1240, total: 18200 },
  scores: { zscore: 7.25, tree: 6.5 },
});

function alertOf(overrides: Partial<Alert> = {}): Alert {
  return anAlert({
    id: 12,
    summary: '≈ 1,240 more failures than expected (1,530 of 18,200 transactions)',
    lastFinding: FINDING,
    ...overrides,
  });
}

const event = (kind: AlertEvent['kind'], extra: Partial<AlertEvent> = {}): AlertEvent => ({
  id: 1,
  alertId: 12,
  kind,
  actor: '<@U0ANA00001>',
  channel: 'slack',
  detail: null,
  createdAt: new Date('2026-11-21T14:05:30Z'),
  ...extra,
});

describe('alertCard', () => {
  it('shows severity, source, metric, observed vs expected with counts, excess, score, models, both clocks and the id', () => {
    const card = alertCard(alertOf(), { timeZone: 'Europe/Berlin' });
    const text = blockText(card.blocks);
    expect(text).toContain(':large_orange_circle: HIGH failed rate 3.1% (expected 0.9%)');
    expect(text).toContain('*card-eu / production · failed*');
    expect(text).toContain('*Observed*\n8.4% — 1,530 of 18,200');
    expect(text).toContain('*Expected*\n1.6% — ≈ 290');
    expect(text).toContain('≈ 1,240 more failures than expected');
    expect(text).toContain('*Score*\n7.3 (zscore, tree)');
    expect(text).toContain('*Window* 2026-11-21 17:00–18:02 UTC');
    expect(text).toContain('*Local* 2026-11-21 18:00–19:02 Europe/Berlin');
    expect(text).toContain('Alert #12 · New: nobody has acknowledged it yet');
    expect(card.blocks?.length).toBeLessThanOrEqual(10);
  });

  it('offers Acknowledge and Resolve while new, Resolve once acknowledged, nothing once resolved', () => {
    const actions = (a: Alert) =>
      (alertCard(a, { timeZone: 'UTC' }).blocks ?? [])
        .flatMap((b) => ('elements' in b && b.type === 'actions' ? b.elements : []))
        .map((e) => ('action_id' in e ? e.action_id : ''));
    expect(actions(alertOf())).toEqual([ACTION.acknowledge, ACTION.resolve]);
    const at = new Date('2026-11-21T14:05:00Z');
    expect(
      actions(alertOf({ status: 'acknowledged', acknowledgedBy: '<@U1AB>', acknowledgedAt: at })),
    ).toEqual([ACTION.resolve]);
    const resolved = alertOf({ status: 'resolved', resolvedBy: '<@U1AB>', resolvedAt: at, occurrences: 3 });
    expect(actions(resolved)).toEqual([]);
    expect(blockText(alertCard(resolved, { timeZone: 'UTC' }).blocks)).toContain(
      'Resolved by <@U1AB> at 14:05 UTC · seen 3 times, last 2026-11-21 18:02 UTC',
    );
  });

  it('escapes everything user-controlled, so nothing mentions @channel or links anywhere', () => {
    const external = alertOf({
      origin: 'external',
      lastFinding: null,
      title: NASTY,
      summary: NASTY,
      status: 'resolved',
      resolvedBy: NASTY,
      resolvedAt: new Date('2026-11-21T14:05:00Z'),
      resolutionNote: NASTY,
    });
    const card = alertCard(external, { timeZone: 'UTC' });
    const mrkdwn = JSON.stringify(card.blocks?.filter((b) => b.type !== 'header'));
    for (const text of [mrkdwn, card.text]) {
      expect(text).not.toMatch(/<!channel>|<!here>|<@U0EVIL>|<https:/);
      expect(text).toContain('&lt;!channel&gt; pay now &lt;https://evil.example|here&gt; &amp;');
    }
    const header = card.blocks?.[0];
    expect(header).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
  });
});

describe('escapeText and actorText', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<@U123|bob>', '&lt;@U123|bob&gt;'],
    ['plain @here text', 'plain @here text'],
  ])('escapeText(%j) is %j', (input, expected) => expect(escapeText(input)).toBe(expected));

  it('keeps our own <@U…> mentions and escapes any other actor', () => {
    expect(actorText('<@U0ANA00001>')).toBe('<@U0ANA00001>');
    expect(actorText('<!channel>')).toBe('&lt;!channel&gt;');
    expect(actorText('ana@example.com')).toBe('ana@example.com');
  });
});

describe('digestCard', () => {
  it('counts every alert and lists the five most severe, highest score first', () => {
    const alerts = [1, 2, 3, 4, 5, 6, 7].map((i) =>
      alertOf({
        id: i,
        source: `storm-${i}`,
        severity: i === 2 ? 'critical' : 'medium',
        lastFinding: { ...FINDING, score: i },
      }),
    );
    const digest = digestCard(alerts, new Date('2026-11-21T17:00:00Z'));
    const text = blockText(digest.blocks);
    expect(text).toContain('7 alerts from the 2026-11-21 17:00 UTC evaluation');
    expect(text).toContain('1 critical · 6 medium · 7 still open');
    expect([...text.matchAll(/storm-(\d)/g)].map((m) => Number(m[1]))).toEqual([2, 7, 6, 5, 4]);
    expect(text).toContain('…and 2 more');
    expect(digest.blocks?.length).toBeLessThanOrEqual(10);
  });
});

describe('threadReplyText', () => {
  const alert = alertOf();
  it.each([
    [event('acknowledged'), ':eyes: Acknowledged by <@U0ANA00001> at 14:05 UTC'],
    [
      event('resolved', { detail: { note: 'fixed <!here>' } }),
      'Resolved by <@U0ANA00001> at 14:05 UTC — “fixed &lt;!here&gt;”',
    ],
    [event('resolved', { actor: 'ratewatch', channel: 'auto' }), 'Resolved automatically at 14:05 UTC'],
    [event('recovered', { detail: { normal_hours: 2 } }), 'Recovered: back to normal for 2 hour(s)'],
    [
      event('merged', { detail: { title: 'failed rate 4%' } }),
      ':repeat: Seen again at 14:05 UTC: failed rate 4%',
    ],
    [
      event('severity_raised', { detail: { from: 'high', to: 'critical' } }),
      'Severity raised from high to critical',
    ],
    [
      event('acknowledged', { actor: 'ana@example.com', channel: 'email' }),
      'by ana@example.com at 14:05 UTC (via email)',
    ],
  ])('says what happened (%#)', (e, expected) =>
    expect(threadReplyText(e, alert, false)).toContain(expected),
  );

  it('names the alert in a digest thread, and says nothing for events without a reply', () => {
    expect(threadReplyText(event('acknowledged'), alert, true)).toMatch(
      /^Alert #12 card-eu \/ production · failed: /,
    );
    expect(threadReplyText(event('notified'), alert, false)).toBeUndefined();
  });
});

describe('fallbackNote', () => {
  it('prefers the email fallback, then a failed Slack attempt, else says nothing', () => {
    const failed = event('notified', { channel: 'slack', detail: { kind: 'failed' } });
    const emailed = event('notified', { channel: 'email', detail: { kind: 'fallback' } });
    expect(fallbackNote([failed, emailed])).toContain('went out by email at 2026-11-21 14:05 UTC');
    expect(fallbackNote([failed])).toContain('handed to the email fallback');
    expect(fallbackNote([event('created')])).toBeUndefined();
  });
});

describe('alertListMessage', () => {
  it('shows the true total and only the page buttons that lead somewhere', () => {
    const page = (offset: number) =>
      JSON.stringify(
        alertListMessage({
          filter: { status: 'new' },
          limit: 2,
          offset,
          alerts: [alertOf(), alertOf({ id: 11 })],
          total: 5,
        }).blocks,
      );
    expect(page(0)).toContain(ACTION.nextPage);
    expect(page(0)).not.toContain(ACTION.previousPage);
    expect(page(2)).toContain(ACTION.previousPage);
    expect(page(4)).not.toContain(ACTION.nextPage);
  });
});
