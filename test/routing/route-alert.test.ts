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
    expect(routeAlert({ source, environment, severity }, ROUTING)).toEqual({ channel, email, fallbackEmail });
  });

  it('has no channel when no rule names one and there is no default', () => {
    const none = { ...ROUTING, rules: [], defaultChannel: undefined };
    expect(
      routeAlert({ source: 'x', environment: 'production', severity: 'low' }, none).channel,
    ).toBeUndefined();
  });

  it('reads a source pattern literally but for its *', () => {
    const dotted: Routing = { ...ROUTING, rules: [{ match: { source: 'card.eu' }, channel: '#dot' }] };
    expect(
      routeAlert({ source: 'cardxeu', environment: 'production', severity: 'low' }, dotted).channel,
    ).toBe('#payments-alerts');
    expect(
      routeAlert({ source: 'card.eu', environment: 'production', severity: 'low' }, dotted).channel,
    ).toBe('#dot');
  });
});
