import { describe, expect, it } from 'vitest';
import { alertPageHtml, PAGE_CSS } from '../../src/alert-page/alert-page-html.js';
import { pageActor } from '../../src/alert-page/page-actor.js';
import { createPageLinks } from '../../src/alert-page/page-links.js';
import { problemPage } from '../../src/alert-page/problem-page.js';
import { SEVERITY_BADGE } from '../../src/email/html.js';
import { anAlert } from '../helpers/alerts.js';

const NASTY = '<script>alert(1)</script> & "quotes"';
const page = (over: Parameters<typeof anAlert>[0] = {}) =>
  alertPageHtml({
    alert: anAlert(over),
    events: [],
    timeZone: 'Europe/Berlin',
    token: 'tok.en',
    audience: { kind: 'slack', where: '#card-oncall' },
    chart: { kind: 'image' },
  });

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('the alert page', () => {
  it('escapes everything user-controlled', () => {
    const html = page({ title: NASTY, summary: NASTY, lastFinding: null, resolvedBy: NASTY });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });

  it('uses no inline style attributes (its CSP allows only its own style sheet, by hash)', () => {
    expect(page()).not.toMatch(/\sstyle="/);
  });

  it('labels every field and asks a Slack link for a name, an email link for none', () => {
    const html = page();
    for (const id of [...html.matchAll(/<(?:input|textarea)[^>]* id="([^"]+)"/g)].map((m) => m[1]))
      expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('Your name (recorded with what you do)');
    const fromEmail = alertPageHtml({
      alert: anAlert(),
      events: [],
      timeZone: 'UTC',
      token: 't',
      audience: { kind: 'email', recipient: 'ana@example.com' },
      chart: { kind: 'none', reason: 'ratewatch does not measure "latency"' },
    });
    expect(fromEmail).not.toContain('Your name');
    expect(fromEmail).toContain('No chart: ratewatch does not measure &quot;latency&quot;.');
  });

  it('keeps a contrast of at least 4.5:1 for every text colour it uses', () => {
    const pairs: [string, string][] = [
      ['#111827', '#ffffff'],
      ['#4b5563', '#ffffff'],
      ['#ffffff', '#1d4ed8'],
      ['#ffffff', '#b91c1c'],
      ['#1d4ed8', '#ffffff'],
      ...Object.values(SEVERITY_BADGE).map((c): [string, string] => ['#ffffff', c]),
    ];
    for (const [text, background] of pairs) {
      expect(PAGE_CSS.includes(text) || PAGE_CSS.includes(background), `${text} on ${background}`).toBe(true);
      expect(contrast(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('shows nothing of the alert on a problem page', () => {
    for (const problem of ['missing', 'invalid', 'expired', 'not_found'] as const) {
      const { status, html } = problemPage(problem);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(html).not.toContain('card-eu');
    }
  });
});

describe('page links', () => {
  const links = createPageLinks({
    secret: 's'.repeat(32),
    publicUrl: 'https://rw.example.com',
    emailTtlMs: 3_600_000,
    slackTtlMs: 7_200_000,
  });
  const now = new Date('2026-11-21T18:00:00Z');

  it.each([
    ['a good token', (t: string) => t, 42, now, { ok: true }],
    ['a token for another alert', (t: string) => t, 43, now, { ok: false, reason: 'invalid' }],
    ['a changed payload', (t: string) => `x${t}`, 42, now, { ok: false, reason: 'invalid' }],
    [
      'an hour and a second later',
      (t: string) => t,
      42,
      new Date(now.getTime() + 3_601_000),
      { ok: false, reason: 'expired' },
    ],
    ['no token', () => '', 42, now, { ok: false, reason: 'missing' }],
  ])('checks %s', (_what, change, alertId, at, expected) => {
    const token = links.tokenFor(42, { kind: 'email', recipient: 'ana@example.com' }, now);
    expect(links.check(change(token), alertId, at)).toMatchObject(expected);
  });

  it("lets a Slack card's link live longer than an email's", () => {
    const token = links.tokenFor(42, { kind: 'slack', where: '#card-oncall' }, now);
    expect(links.check(token, 42, new Date(now.getTime() + 7_000_000))).toMatchObject({
      ok: true,
      audience: { kind: 'slack', where: '#card-oncall' },
    });
    expect(links.urlFor(42, { kind: 'slack', where: '#x' }, now)).toMatch(
      /^https:\/\/rw\.example\.com\/alerts\/42\?t=/,
    );
  });
});

describe('pageActor', () => {
  it.each([
    [{ kind: 'email', recipient: 'ana@example.com' } as const, 'Eve', 'ana@example.com'],
    [
      { kind: 'slack', where: '#card-oncall' } as const,
      undefined,
      'someone via the Slack card in #card-oncall',
    ],
    [
      { kind: 'slack', where: '#card-oncall' } as const,
      '  Bo <@U1>\n',
      'Bo @U1 (name given on the page, via the Slack card in #card-oncall)',
    ],
  ])('records %j with name %j as %j', (audience, name, actor) => {
    expect(pageActor(audience, name)).toBe(actor);
  });
});
