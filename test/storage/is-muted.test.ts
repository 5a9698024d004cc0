import { describe, expect, it } from 'vitest';
import { isMuted, type Mute } from '../../src/storage/mutes.js';

const mute = (over: Partial<Mute>): Mute => ({
  id: 1,
  source: 'checkout-api',
  environment: null,
  metric: null,
  api: null,
  until: new Date('2026-11-21T20:00:00Z'),
  createdBy: '<@U0ANA00001>',
  ...over,
});

describe('isMuted', () => {
  it.each([
    // mute, then the finding's environment, metric and api → muted?
    ['the whole source', {}, 'production', 'errors', 'POST /v1/payments', true],
    ['the whole source (a payment finding)', {}, 'production', 'failed', null, true],
    ['one api', { api: 'POST /v1/payments' }, 'production', 'latency', 'POST /v1/payments', true],
    [
      'one api (another api)',
      { api: 'POST /v1/payments' },
      'production',
      'latency',
      'GET /v1/payments',
      false,
    ],
    ['one api (a payment finding)', { api: 'POST /v1/payments' }, 'production', 'traffic', null, false],
    [
      'one api and metric',
      { api: 'POST /v1/payments', metric: 'latency' },
      'production',
      'errors',
      'POST /v1/payments',
      false,
    ],
    ['one environment', { environment: 'staging' }, 'production', 'errors', 'POST /v1/payments', false],
    ['another source', { source: 'card-eu' }, 'production', 'errors', 'POST /v1/payments', false],
  ] as const)('a mute of %s', (_, over, environment, metric, api, muted) => {
    expect(isMuted([mute(over)], 'checkout-api', environment, metric, api)).toBe(muted);
  });
});
