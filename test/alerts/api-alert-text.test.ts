import { describe, expect, it } from 'vitest';
import {
  alertHeadline,
  findingExcess,
  findingStory,
  findingTitle,
  latencyText,
} from '../../src/alerts/alert-text.js';
import { anApiAlert, anApiFinding, SLOW } from '../helpers/api-alerts.js';

const ms = (value: number, above = false) => ({ ms: value, above });

const ERRORS = anApiFinding();
const LATENCY = anApiFinding({
  metric: 'latency',
  observedRate: 0.12,
  expectedRate: 0.01,
  counts: { observed: 1440, expected: 120, excess: 1320, total: 12000 },
  latency: SLOW,
});
const SILENT = anApiFinding({ metric: 'silent_failures', observedRate: 0.02, expectedRate: 0.001 });
const CLIENT = anApiFinding({ metric: 'client_errors', observedRate: 0.12, expectedRate: 0.02 });
const DROP = anApiFinding({
  metric: 'traffic',
  direction: 'down',
  observedRate: 120,
  expectedRate: 1500,
  counts: { observed: 120, expected: 1500, excess: -1380, total: 120 },
});
const COLD = anApiFinding({
  metric: 'latency',
  models: ['absolute'],
  latency: { boundMs: 1000, observed: SLOW.observed, normal: null, sloMs: 1000 },
});

describe('the words of an API alert', () => {
  it.each([
    ['errors', ERRORS, 'POST /v1/payments on checkout-api (production): 5xx+timeouts 8.1 % (normal 0.3 %)'],
    [
      'errors with latency facts',
      { ...ERRORS, latency: SLOW },
      'POST /v1/payments on checkout-api (production): 5xx+timeouts 8.1 % (normal 0.3 %), p99 2.4 s (normal 310 ms)',
    ],
    [
      'latency',
      LATENCY,
      'POST /v1/payments on checkout-api (production): p99 2.4 s (normal 310 ms), slow calls 12.0 % (normal 1.0 %)',
    ],
    [
      'silent failures',
      SILENT,
      'POST /v1/payments on checkout-api (production): silent failures 2.0 % (normal 0.1 %)',
    ],
    ['4xx', CLIENT, 'POST /v1/payments on checkout-api (production): 4xx 12.0 % (normal 2.0 %)'],
    [
      'a traffic drop',
      DROP,
      'POST /v1/payments on checkout-api (production): traffic down 92 % (120 calls vs normal ≈ 1,500)',
    ],
    [
      'latency over the SLO in cold start',
      COLD,
      'POST /v1/payments on checkout-api (production): p99 2.4 s (SLO 1.0 s), slow calls 8.1 % (normal 0.3 %)',
    ],
  ] as const)('heads the card, the email and the page of %s', (_, finding, headline) => {
    expect(alertHeadline(anApiAlert(finding))).toBe(headline);
  });

  it.each([
    [
      'errors',
      ERRORS,
      '≈ 936 more failed calls (5xx or timeout) than normal: 972 of 12,000 calls (≈ 36 expected)',
      '5xx+timeouts 8.1% (expected 0.3%)',
      '≈ 936 more failed calls (5xx or timeout) than expected (972 of 12,000 calls)',
    ],
    [
      'latency',
      LATENCY,
      '≈ 1,320 more calls slower than 500 ms than normal: 1,440 of 12,000 calls (≈ 120 expected); p50 610 ms (normal 120 ms) · p95 1.2 s (normal 240 ms) · p99 2.4 s (normal 310 ms)',
      'p99 2.4 s (expected 310 ms)',
      '≈ 1,320 more calls slower than 500 ms than expected (1,440 of 12,000 calls)',
    ],
    [
      'silent failures',
      SILENT,
      '≈ 936 more silent failures (2xx with an invalid payload) than normal: 972 of 12,000 calls (≈ 36 expected)',
      'silent failures 2.0% (expected 0.1%)',
      '≈ 936 more silent failures (2xx with an invalid payload) than expected (972 of 12,000 calls)',
    ],
    [
      'a traffic drop',
      DROP,
      '≈ 1,380 fewer calls than normal: 120 (≈ 1,500 expected)',
      'traffic down 92% (120 calls vs ≈1,500 expected)',
      '≈ 1,380 fewer calls than expected',
    ],
    [
      'latency in cold start',
      COLD,
      expect.stringContaining('; p50 610 ms · p95 1.2 s · p99 2.4 s'),
      'p99 2.4 s (SLO 1.0 s)',
      expect.any(String),
    ],
  ])('tells the story, the title and the summary of %s', (_, finding, story, title, summary) => {
    expect(findingStory(finding)).toEqual(story);
    expect(findingTitle(finding)).toEqual(title);
    expect(findingExcess(finding)).toEqual(summary);
  });

  it('heads an external API alert with its own title', () => {
    const external = anApiAlert(ERRORS, { lastFinding: null, origin: 'external', title: 'p99 over 2 s' });
    expect(alertHeadline(external)).toBe('POST /v1/payments on checkout-api (production): p99 over 2 s');
  });

  it.each([
    [ms(4), '4 ms'],
    [ms(310.4), '310 ms'],
    [ms(999.6), '1000 ms'],
    [ms(1000), '1.0 s'],
    [ms(2449), '2.4 s'],
    [ms(12_400), '12 s'],
    [ms(10_000, true), '> 10 s'],
    [250, '250 ms'],
  ])('says a latency of %j as %s', (point, text) => expect(latencyText(point)).toBe(text));
});
