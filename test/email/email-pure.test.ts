import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../src/alerts/alert.js';
import { parseConfigFile } from '../../src/config-file.js';
import type { Finding } from '../../src/detection/types.js';
import { checkToken, createActionLinks, signToken } from '../../src/email/action-links.js';
import { buildAlertEmail, type ChartImage } from '../../src/email/alert-message.js';
import { domainOf } from '../../src/email/create-email.js';
import { buildDigestEmail, DIGEST_CHARTS } from '../../src/email/digest-message.js';
import { escalationDueAt, escalationFromFile } from '../../src/email/escalation.js';
import { escapeHtml } from '../../src/email/html.js';
import { isPermanentSmtpError } from '../../src/email/mailer.js';
import { headlineOf, newsKinds } from '../../src/email/news.js';
import { ConfigError } from '../../src/errors.js';
import { anAlert } from '../helpers/alerts.js';
import { CONFIG_YAML, findingOf } from './fixtures.js';

const T = new Date('2026-11-21T18:02:00Z');
const alert = (over: Partial<Alert> = {}): Alert =>
  anAlert({
    id: 7,
    severity: 'critical',
    summary: null,
    firstSeenAt: T,
    lastSeenAt: T,
    lastFinding: findingOf('card-eu', 'failed', 'critical'),
    ...over,
  });
const event = (kind: AlertEvent['kind'], detail: Record<string, unknown>, at: Date): AlertEvent => ({
  id: 1,
  alertId: 7,
  kind,
  actor: 'ratewatch',
  channel: 'auto',
  detail,
  createdAt: at,
});

describe('newsKinds', () => {
  it.each([
    ['a new alert', {}, ['open_critical']],
    ['an acknowledged one', { status: 'acknowledged' as const }, ['open_critical', 'acknowledged']],
    ['a recovered one', { recoveredAt: T }, ['open_critical', 'recovered']],
    ['a resolved one: only the resolution', { status: 'resolved' as const, recoveredAt: T }, ['resolved']],
  ])('holds for %s', (_name, over, kinds) => {
    expect(newsKinds(alert(over))).toEqual(kinds);
  });

  it('leads with the most important news', () => {
    expect(headlineOf(['open_high'])).toBe('opened');
    expect(headlineOf(['open_high', 'acknowledged'])).toBe('acknowledged');
    expect(headlineOf(['resolved'])).toBe('resolved');
    expect(headlineOf(['escalated'])).toBe('escalated');
  });
});

describe('action link tokens', () => {
  const secret = 'a-secret-of-enough-length';
  const link = {
    alertId: 7,
    action: 'acknowledge' as const,
    recipient: 'ana@example.com',
    expiresAt: new Date(T.getTime() + 3_600_000),
  };

  it('verifies a genuine token until it expires', () => {
    const token = signToken(link, secret);
    expect(checkToken(token, secret, T)).toMatchObject({ ok: true, link });
    expect(checkToken(token, secret, link.expiresAt)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a changed payload and garbage as invalid', () => {
    const token = signToken(link, secret);
    const [payload, signature] = token.split('.');
    const changed = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), a: 8 }),
    ).toString('base64url');
    for (const bad of [`${changed}.${signature}`, 'x.y', 'x.y.z', '']) {
      expect(checkToken(bad, secret, T)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('tells a link signed with another secret (LINK_SECRET set or rotated since) from a forged one', () => {
    expect(checkToken(signToken(link, 'another-secret-entirely'), secret, T)).toEqual({
      ok: false,
      reason: 'rotated',
    });
  });

  it('offers only the actions the alert state allows', () => {
    const links = createActionLinks({ secret, publicUrl: 'https://rw.example.com', ttlMs: 72 * 3_600_000 });
    expect(links.urlsFor(alert(), 'ana@example.com', T)).toMatchObject({
      acknowledge: expect.stringMatching(/^https:\/\/rw\.example\.com\/email\/actions\//),
      resolve: expect.any(String),
      expiresAt: new Date('2026-11-24T18:02:00Z'),
    });
    expect(links.urlsFor(alert({ status: 'acknowledged' }), 'ana@example.com', T)).toMatchObject({
      acknowledge: undefined,
      resolve: expect.any(String),
    });
  });
});

const NO_LINKS = { kind: 'links', expiresAt: new Date('2026-11-24T18:00:00Z') } as const;

describe('buildAlertEmail', () => {
  it('escapes everything in the HTML part', () => {
    const content = buildAlertEmail({
      alert: alert({ title: '<img src=x onerror=alert(1)>', summary: '"quoted" & <b>', lastFinding: null }),
      timeZone: 'UTC',
      headline: 'opened',
      actions: NO_LINKS,
    });
    expect(content.html).not.toContain('<img');
    expect(content.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(content.html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
  });

  it('says what happened in a hidden preheader, in the severity colour, with View alert', () => {
    const content = buildAlertEmail({
      alert: alert(),
      timeZone: 'Europe/Berlin',
      headline: 'opened',
      actions: NO_LINKS,
      viewUrl: 'https://ratewatch.example.com/alerts/7?t=abc.def',
    });
    expect(content.html).toMatch(/<div style="display:none[^"]*">Since \d\d:\d\d Europe\/Berlin: ≈ /);
    expect(content.html).toContain('border-left:6px solid #b91c1c');
    expect(content.html).toContain('href="https://ratewatch.example.com/alerts/7?t=abc.def"');
    expect(content.html).toContain('>View alert</a>');
    expect(content.text).toContain(
      'View alert (chart, facts, audit trail): https://ratewatch.example.com/alerts/7?t=abc.def',
    );
  });

  it('shows traffic in transactions', () => {
    const finding: Finding = {
      ...findingOf('card-eu', 'traffic', 'high'),
      observedRate: 120,
      expectedRate: 1500,
      direction: 'down',
      counts: { observed: 120, expected: 1500, excess: -1380, total: 120 },
    };
    const content = buildAlertEmail({
      alert: alert({ metric: 'traffic', lastFinding: finding }),
      timeZone: 'UTC',
      headline: 'opened',
      actions: NO_LINKS,
    });
    expect(content.subject).toContain('card-eu (production) · traffic down 92 % (120 vs normal ≈ 1,500)');
    expect(content.text).toContain('≈ 1,380 fewer transactions than normal: 120 (≈ 1,500 expected)');
  });
});

/** A stand-in chart image for alert `id` (pure builders only place it). */
function chartFor(id: number): ChartImage {
  const image = {
    filename: `ratewatch-alert-${id}.png`,
    content: Buffer.from([id]),
    contentType: 'image/png',
  } as const;
  return { image: { ...image, cid: `chart-${id}-1@example.com` }, alt: `alert ${id} over 48 hours` };
}

describe('the chart in an email', () => {
  it('is an inline part that the HTML shows by Content-ID, with its words, and the text names it', () => {
    const content = buildAlertEmail({
      alert: alert(),
      timeZone: 'UTC',
      headline: 'opened',
      actions: NO_LINKS,
      chart: chartFor(7),
    });
    expect(content.attachments).toEqual([chartFor(7).image]);
    expect(content.html).toContain(
      '<img src="cid:chart-7-1@example.com" alt="alert 7 over 48 hours" width="640"',
    );
    expect(content.text).toContain(
      'Chart: alert 7 over 48 hours — attached as ratewatch-alert-7.png (inline in the HTML version).',
    );
  });

  it('is left out, with no part and no image, when there is none', () => {
    const content = buildAlertEmail({
      alert: alert(),
      timeZone: 'UTC',
      headline: 'opened',
      actions: NO_LINKS,
    });
    expect(content.attachments).toBeUndefined();
    expect(content.html).not.toContain('<img');
    expect(content.text).not.toContain('Chart:');
  });

  it.each([
    [3, 3, false],
    [DIGEST_CHARTS, DIGEST_CHARTS, false],
    [DIGEST_CHARTS + 2, DIGEST_CHARTS, true],
  ])('in a digest of %i alerts: %i charts, and a note of the cap: %s', (alerts, charts, capped) => {
    const entries = Array.from({ length: alerts }, (_, i) => ({
      alert: alert({ id: i + 1 }),
      timeZone: 'UTC',
      headline: 'opened' as const,
      actions: NO_LINKS,
      chart: chartFor(i + 1),
    }));
    const content = buildDigestEmail({ hourStart: new Date('2026-11-21T17:00:00Z'), entries });
    expect(content.attachments).toHaveLength(charts);
    expect(content.html.match(/<img src="cid:/g)).toHaveLength(charts);
    const note = `Charts are shown for the first ${DIGEST_CHARTS} of these ${alerts} alerts`;
    expect(content.text.includes(note)).toBe(capped);
    expect(content.html.includes(note)).toBe(capped);
  });
});

describe('escalationDueAt', () => {
  const settings = {
    severities: ['critical'] as const,
    afterMs: 15 * 60_000,
    email: [],
    slackMention: undefined,
  };

  it('counts from the opening of an alert that opened critical', () => {
    const due = escalationDueAt(alert(), [event('created', { severity: 'critical' }, T)], {
      ...settings,
      severities: ['critical'],
    });
    expect(due).toEqual(new Date('2026-11-21T18:17:00Z'));
  });

  it('counts from the raise of an alert that became critical later', () => {
    const raisedAt = new Date('2026-11-21T19:02:00Z');
    const events = [
      event('created', { severity: 'high' }, T),
      event('severity_raised', { from: 'high', to: 'critical' }, raisedAt),
    ];
    expect(escalationDueAt(alert(), events, { ...settings, severities: ['critical'] })).toEqual(
      new Date('2026-11-21T19:17:00Z'),
    );
  });

  it('never escalates an acknowledged, resolved or non-escalating alert', () => {
    const s = { ...settings, severities: ['critical' as const] };
    expect(escalationDueAt(alert({ status: 'acknowledged' }), [], s)).toBeUndefined();
    expect(escalationDueAt(alert({ status: 'resolved' }), [], s)).toBeUndefined();
    expect(escalationDueAt(alert({ severity: 'high' }), [], s)).toBeUndefined();
  });
});

describe('the escalation section of RATEWATCH_CONFIG', () => {
  it('reads severities, minutes, addresses and the mention, with defaults', () => {
    expect(escalationFromFile(parseConfigFile(CONFIG_YAML))).toEqual({
      severities: ['critical'],
      afterMs: 15 * 60_000,
      email: ['lead@example.com'],
      slackMention: '<!subteam^S0123|oncall>',
    });
    expect(escalationFromFile(parseConfigFile('escalation:\n  email: [a@example.com]\n'))).toMatchObject({
      severities: ['critical'],
      afterMs: 15 * 60_000,
    });
    expect(escalationFromFile(parseConfigFile('routing: {}\n'))).toBeUndefined();
  });

  it('reports every mistake with its line', () => {
    const text = [
      'escalation:',
      '  severities: [urgent]',
      '  after_minutes: 0',
      '  email: [not-an-address]',
      "  slack_mention: '@oncall'",
      '  page: true',
    ].join('\n');
    let error: unknown;
    try {
      parseConfigFile(text, 'rw.yml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(
      'rw.yml line 2 (escalation.severities.0): must be one of low, medium, high, critical',
    );
    expect(message).toContain('rw.yml line 3 (escalation.after_minutes): must be at least 1');
    expect(message).toContain('rw.yml line 4 (escalation.email.0): must be an email address');
    expect(message).toContain('rw.yml line 5 (escalation.slack_mention): must be a Slack mention');
    expect(message).toContain('rw.yml line 6 (escalation.page): is not a known setting');
  });
});

describe('small helpers', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('tells permanent SMTP answers from temporary ones', () => {
    expect(isPermanentSmtpError({ responseCode: 550 })).toBe(true);
    expect(isPermanentSmtpError({ responseCode: 451 })).toBe(false);
    expect(isPermanentSmtpError({ code: 'ECONNECTION' })).toBe(false);
  });

  it('takes the Message-ID domain from EMAIL_FROM', () => {
    expect(domainOf('ratewatch <alerts@pay.example.com>')).toBe('pay.example.com');
    expect(domainOf('nobody')).toBe('ratewatch.localhost');
  });
});
