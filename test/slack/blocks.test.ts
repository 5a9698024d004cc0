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
  it('heads with severity, source and what is off against normal, and says each fact once', () => {
    const card = alertCard(alertOf(), { timeZone: 'Europe/Berlin' });
    const text = blockText(card.blocks);
    expect(text).toContain(
      ':large_orange_circle: HIGH · card-eu (production) · failed rate 8.4 % (normal 1.6 %)',
    );
    expect(text).toContain(
      '*≈ 1,240 more failures than normal: 1,530 of 18,200 transactions (≈ 290 expected)*',
    );
    expect(text).toContain('*Confidence* both models agree; well outside normal');
    expect(text).toContain(
      'Alert #12 · New: nobody has acknowledged it yet · evaluated 18:02 UTC (score 7.3)',
    );
    for (const repeated of ['1,530', '18,200', '8.4 %']) expect(text.split(repeated)).toHaveLength(2);
    expect(card.blocks?.length).toBeLessThanOrEqual(10);
  });

  it('shows the data window, incident start to last data, and when it was evaluated apart', () => {
    // The data ended at 18:00 UTC; the evaluation ran at 18:02: the window must not read "17:00–18:02".
    const text = blockText(alertCard(alertOf(), { timeZone: 'Europe/Berlin' }).blocks);
    expect(text).toContain('*Window* Sat 21 Nov 18:00–19:00 Europe/Berlin (17:00–18:00 UTC)');
    expect(text).not.toContain('18:02–');
    expect(text).toContain('evaluated 18:02 UTC');
  });

  it('links the runbook and the alert page when it has them', () => {
    const card = alertCard(alertOf(), {
      timeZone: 'UTC',
      runbookUrl: 'https://wiki.example.com/runbooks/card-eu',
      openUrl: 'https://ratewatch.example.com/alerts/12?t=abc',
    });
    expect(blockText(card.blocks)).toContain('<https://wiki.example.com/runbooks/card-eu|Runbook>');
    const open = card.blocks
      ?.flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => 'action_id' in e && e.action_id === ACTION.open);
    expect(open).toMatchObject({ type: 'button', url: 'https://ratewatch.example.com/alerts/12?t=abc' });
  });

  it('gives every block an id unique in the message and new with each revision', () => {
    const ids = (a: Alert) =>
      (alertCard(a, { timeZone: 'UTC', fallbackNote: 'email carried it' }).blocks ?? []).map(
        (b) => b.block_id,
      );
    const first = ids(alertOf());
    expect(new Set(first).size).toBe(first.length);
    expect(first.every((id) => typeof id === 'string')).toBe(true);
    const next = ids(alertOf({ revision: 2 }));
    expect(next.filter((id) => first.includes(id))).toEqual([]);
  });

  it('offers Acknowledge, Resolve and Mute while new, Resolve and Mute once acknowledged, nothing once resolved', () => {
    const actions = (a: Alert) =>
      (alertCard(a, { timeZone: 'UTC' }).blocks ?? [])
        .flatMap((b) => ('elements' in b && b.type === 'actions' ? b.elements : []))
        .map((e) => ('action_id' in e ? e.action_id : ''));
    expect(actions(alertOf())).toEqual([ACTION.acknowledge, ACTION.resolve, ACTION.mute]);
    const at = new Date('2026-11-21T14:05:00Z');
    expect(
      actions(alertOf({ status: 'acknowledged', acknowledgedBy: '<@U1AB>', acknowledgedAt: at })),
    ).toEqual([ACTION.resolve, ACTION.mute]);
    const resolved = alertOf({ status: 'resolved', resolvedBy: '<@U1AB>', resolvedAt: at, occurrences: 3 });
    expect(actions(resolved)).toEqual([]);
    expect(blockText(alertCard(resolved, { timeZone: 'UTC' }).blocks)).toContain(
      'Resolved by <@U1AB> at 14:05 UTC · seen 3 times, last 2026-11-21 18:02 UTC',
    );
  });

  it("offers the mutes of /alerts mute: 1 h, 4 h and 24 h of the alert's metric", () => {
    const menu = alertCard(alertOf(), { timeZone: 'UTC' })
      .blocks?.flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => e.type === 'static_select');
    expect(menu && 'options' in menu ? menu.options?.map((o) => [o.text.text, o.value]) : []).toEqual([
      ['Mute failed for 1 h', '12_60'],
      ['Mute failed for 4 h', '12_240'],
      ['Mute failed for 24 h', '12_1440'],
    ]);
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
