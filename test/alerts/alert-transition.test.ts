import { describe, expect, it } from 'vitest';
import type { AlertStatus } from '../../src/alerts/alert-state.js';
import { decideTransition, transitionWrite } from '../../src/alerts/alert-transition.js';
import { storedAlert } from './fixtures.js';

const AT = new Date('2026-11-21T14:05:00Z');
const ANA = { acknowledgedBy: '<@U0ANA>', acknowledgedAt: AT };
const BO = { resolvedBy: 'bo@example.com', resolvedAt: AT };

describe('decideTransition', () => {
  it.each([
    ['new', 'acknowledge', { ok: true, status: 'acknowledged' }],
    ['new', 'resolve', { ok: true, status: 'resolved' }],
    ['acknowledged', 'resolve', { ok: true, status: 'resolved' }],
    [
      'acknowledged',
      'acknowledge',
      { ok: false, reason: 'it was already acknowledged by <@U0ANA> at 2026-11-21 14:05 UTC' },
    ],
    [
      'resolved',
      'acknowledge',
      { ok: false, reason: 'it was already resolved by bo@example.com at 2026-11-21 14:05 UTC' },
    ],
    [
      'resolved',
      'resolve',
      { ok: false, reason: 'it was already resolved by bo@example.com at 2026-11-21 14:05 UTC' },
    ],
  ] as const)('a %s alert asked to %s: %o', (status, action, verdict) => {
    const alert = storedAlert({
      status: status as AlertStatus,
      ...ANA,
      ...(status === 'resolved' ? BO : {}),
    });
    expect(decideTransition(alert, action)).toEqual(verdict);
  });

  it('says "already resolved" without who or when if the record has neither', () => {
    expect(decideTransition(storedAlert({ status: 'resolved' }), 'resolve')).toEqual({
      ok: false,
      reason: 'it was already resolved',
    });
  });
});

describe('transitionWrite', () => {
  it('records who acknowledged and when, with a new revision', () => {
    const write = transitionWrite(storedAlert({ revision: 2 }), 'acknowledged', {
      actor: '<@U0ANA>',
      channel: 'slack',
      at: AT,
    });
    expect(write).toEqual({
      change: { status: 'acknowledged', acknowledgedAt: AT, acknowledgedBy: '<@U0ANA>', revision: 3 },
      events: [{ kind: 'acknowledged', actor: '<@U0ANA>', channel: 'slack', detail: null }],
    });
  });

  it('records who resolved, when and why', () => {
    const write = transitionWrite(storedAlert({ revision: 2 }), 'resolved', {
      actor: 'bo@example.com',
      channel: 'email',
      at: AT,
      note: 'acquirer fixed it',
    });
    expect(write).toEqual({
      change: {
        status: 'resolved',
        resolvedAt: AT,
        resolvedBy: 'bo@example.com',
        resolutionNote: 'acquirer fixed it',
        revision: 3,
      },
      events: [
        {
          kind: 'resolved',
          actor: 'bo@example.com',
          channel: 'email',
          detail: { note: 'acquirer fixed it' },
        },
      ],
    });
  });

  it('resolves without a note as a null note', () => {
    const write = transitionWrite(storedAlert(), 'resolved', { actor: 'api', channel: 'api', at: AT });
    expect(write.change).toMatchObject({ resolutionNote: null });
    expect(write.events[0]?.detail).toBeNull();
  });
});
