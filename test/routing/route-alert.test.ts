import { describe, expect, it } from 'vitest';
import { type Routing, routeAlert } from '../../src/routing/route-alert.js';

const ROUTING: Routing = {
  rules: [
    {
      match: { source: 'card-*', environment: 'production', severity: ['high', 'critical'] },
      channel: '#card-oncall',
      email: ['finance-lead@example.com'],
      fallbackEmail: ['oncall@example.com'],
    },
    { match: { severity: ['critical'] }, email: ['cto@example.com'] },
    { match: { source: 'card-*' }, channel: '#cards' },
    { match: { environment: 'staging' }, channel: '#staging', email: [' ops@example.com '] },
  ],
  defaultChannel: '#payments-alerts',
  email: ['ops@example.com'],
  fallbackEmail: ['fallback@example.com'],
  digestThreshold: 5,
};

describe('routeAlert', () => {
  it.each([
    // source, environment, severity → channel, email, fallback email
    [
      'card-eu',
      'production',
      'critical',
      '#card-oncall',
      ['finance-lead@example.com', 'cto@example.com', 'ops@example.com'],
      ['oncall@example.com', 'fallback@example.com'],
    ],
    ['card-eu', 'production', 'medium', '#cards', ['ops@example.com'], ['fallback@example.com']],
    ['card-eu', 'staging', 'high', '#cards', ['ops@example.com'], ['fallback@example.com']],
    [
      'wallet-us',
      'production',
      'critical',
      '#payments-alerts',
      ['cto@example.com', 'ops@example.com'],
      ['fallback@example.com'],
    ],
    ['wallet-us', 'production', 'low', '#payments-alerts', ['ops@example.com'], ['fallback@example.com']],
    ['wallet-us', 'staging', 'low', '#staging', ['ops@example.com'], ['fallback@example.com']],
    ['cards-eu', 'production', 'high', '#payments-alerts', ['ops@example.com'], ['fallback@example.com']],
  ] as const)('%s / %s / %s → %s', (source, environment, severity, channel, email, fallbackEmail) => {
    expect(routeAlert({ source, environment, api: null, severity }, ROUTING)).toEqual({
      channel,
      email,
      fallbackEmail,
    });
  });

  it('has no channel when no rule names one and there is no default', () => {
    const none = { ...ROUTING, rules: [], defaultChannel: undefined };
    expect(
      routeAlert({ source: 'x', environment: 'production', api: null, severity: 'low' }, none).channel,
    ).toBeUndefined();
  });

  it('reads a source pattern literally but for its *', () => {
    const dotted: Routing = { ...ROUTING, rules: [{ match: { source: 'card.eu' }, channel: '#dot' }] };
    expect(
      routeAlert({ source: 'cardxeu', environment: 'production', api: null, severity: 'low' }, dotted)
        .channel,
    ).toBe('#payments-alerts');
    expect(
      routeAlert({ source: 'card.eu', environment: 'production', api: null, severity: 'low' }, dotted)
        .channel,
    ).toBe('#dot');
  });

  describe('when a rule matches an api pattern', () => {
    const BY_API: Routing = {
      ...ROUTING,
      rules: [
        { match: { api: 'POST /v1/*', severity: ['critical'] }, channel: '#payments-api-oncall' },
        { match: { source: 'checkout-*', api: 'POST /v1/*' }, channel: '#checkout-writes' },
        { match: { api: 'GET /v1/search?q=*' }, channel: '#search' },
        { match: { api: '*' }, email: ['api-team@example.com'] },
      ],
    };
    it.each([
      // source, api, severity → channel, email
      ['checkout-api', 'POST /v1/payments', 'critical', '#payments-api-oncall', ['api-team@example.com']],
      [
        'checkout-api',
        'POST /v1/payments/{id}/capture',
        'high',
        '#checkout-writes',
        ['api-team@example.com'],
      ],
      ['ledger', 'POST /v1/entries', 'high', '#payments-alerts', ['api-team@example.com']],
      ['checkout-api', 'GET /v1/payments', 'critical', '#payments-alerts', ['api-team@example.com']],
      ['search', 'GET /v1/search?q=shoes', 'low', '#search', ['api-team@example.com']],
      ['search', 'GET /v1/searchXq=shoes', 'low', '#payments-alerts', ['api-team@example.com']],
      ['checkout-api', null, 'critical', '#payments-alerts', []],
    ] as const)('%s %s (%s) → %s', (source, api, severity, channel, email) => {
      const route = routeAlert({ source, environment: 'production', api, severity }, BY_API);
      expect(route.channel).toBe(channel);
      expect(route.email).toEqual([...email, 'ops@example.com']);
    });
  });
});
