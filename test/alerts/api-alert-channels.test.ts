import { describe, expect, it } from 'vitest';
import { alertToJson } from '../../src/alerts/alert.js';
import { alertFindingFromRecord, alertFindingToJson } from '../../src/alerts/alert-finding.js';
import { buildAlertEmail } from '../../src/email/alert-message.js';
import { buildDigestEmail } from '../../src/email/digest-message.js';
import { alertCard } from '../../src/slack/blocks/card.js';
import { digestCard } from '../../src/slack/blocks/digest.js';
import { aFinding, anAlert, HOUR } from '../helpers/alerts.js';
import { anApiAlert, anApiFinding, SLOW } from '../helpers/api-alerts.js';
import { blockText } from '../helpers/slack.js';

const LATENCY = anApiFinding({
  metric: 'latency',
  observedRate: 0.12,
  expectedRate: 0.01,
  counts: { observed: 1440, expected: 120, excess: 1320, total: 12000 },
  latency: SLOW,
});
const HEADLINE =
  'POST /v1/payments on checkout-api (production): p99 2.4 s (normal 310 ms), slow calls 12.0 % (normal 1.0 %)';
const STORY =
  '≈ 1,320 more calls slower than 500 ms than normal: 1,440 of 12,000 calls (≈ 120 expected); p50 610 ms (normal 120 ms) · p95 1.2 s (normal 240 ms) · p99 2.4 s (normal 310 ms)';
const NO_LINKS = { kind: 'links', expiresAt: new Date('2026-11-24T18:00:00Z') } as const;

describe('an API alert in every channel', () => {
  const alert = anApiAlert(LATENCY);

  it('says the same headline and story on the Slack card', () => {
    const text = blockText(alertCard(alert, { timeZone: 'UTC' }).blocks);
    expect(text).toContain(`:red_circle: CRITICAL · ${HEADLINE}`);
    expect(text).toContain(`*${STORY}*`);
    expect(alertCard(alert, { timeZone: 'UTC' }).text).toBe(`[CRITICAL] ${HEADLINE}`);
  });

  it('says them in the email, in both parts, as an API alert', () => {
    const email = buildAlertEmail({ alert, timeZone: 'UTC', headline: 'opened', actions: NO_LINKS });
    expect(email.subject).toContain(HEADLINE);
    expect(email.text).toContain('An API alert is open.');
    expect(email.text).toContain(HEADLINE);
    expect(email.text).toContain(STORY);
    expect(email.html).toContain('POST /v1/payments on checkout-api (production): p99 2.4 s (normal 310 ms)');
  });

  it('heads its rows of the Slack digest and the digest email with it, beside payment alerts', () => {
    const payment = anAlert({ id: 43, lastFinding: aFinding() });
    const slack = blockText(digestCard([alert, payment], HOUR).blocks);
    expect(slack).toContain(HEADLINE);
    expect(slack).toContain('card-eu (production) · failed rate 3.1 % (normal 0.9 %)');
    const entries = [alert, payment].map((a) => ({
      alert: a,
      timeZone: 'UTC',
      headline: 'opened' as const,
      actions: NO_LINKS,
    }));
    expect(buildDigestEmail({ hourStart: HOUR, entries }).text).toContain(HEADLINE);
  });

  it('carries its api in the REST JSON, and its finding with api and latency percentiles', () => {
    const json = alertToJson(alert);
    expect(json.api).toBe('POST /v1/payments');
    expect(json.last_finding).toMatchObject({
      api: 'POST /v1/payments',
      metric: 'latency',
      latency: { bound_ms: 500, observed: { p99: { ms: 2400, above: false } } },
    });
    expect(alertToJson(anAlert()).api).toBeNull();
  });
});

describe('alertFindingFromRecord', () => {
  it.each([
    ['a payment finding', aFinding()],
    ['an API errors finding', anApiFinding()],
    ['an API latency finding with percentiles', LATENCY],
    [
      'a cold-start latency finding (no normal, an SLO)',
      anApiFinding({ metric: 'latency', latency: { ...SLOW, normal: null, sloMs: 1000 } }),
    ],
  ])('reads back %s as it was stored', (_, finding) => {
    expect(alertFindingFromRecord(JSON.parse(alertFindingToJson(finding)))).toEqual(finding);
  });

  it.each([
    [
      'an API record with a payment metric',
      { ...JSON.parse(alertFindingToJson(anApiFinding())), metric: 'failed' },
    ],
    [
      'a payment record with an API metric',
      { ...JSON.parse(alertFindingToJson(aFinding())), metric: 'latency' },
    ],
    ['not a record', 'errors'],
  ])('reads nothing from %s', (_, record) => {
    expect(alertFindingFromRecord(record)).toBeUndefined();
  });
});
