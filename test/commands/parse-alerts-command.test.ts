import { describe, expect, it } from 'vitest';
import { parseAlertsCommand, parseDuration } from '../../commands/parse-alerts-command.js';

describe('parseAlertsCommand', () => {
  it.each([
    ['', { kind: 'list', filter: {}, limit: 10, offset: 0 }],
    ['list', { kind: 'list', filter: {}, limit: 10, offset: 0 }],
    [
      'list status:NEW severity:high source:card-eu env:staging limit:3',
      {
        kind: 'list',
        filter: { status: 'new', severity: 'high', source: 'card-eu', environment: 'staging' },
        limit: 3,
        offset: 0,
      },
    ],
    ['status:resolved', { kind: 'list', filter: { status: 'resolved' }, limit: 10, offset: 0 }],
    [
      'list api:POST /v1/payments',
      { kind: 'list', filter: { api: 'POST /v1/payments' }, limit: 10, offset: 0 },
    ],
    [
      'list source:checkout-api api:POST /v1/payments/{id}/capture status:new',
      {
        kind: 'list',
        filter: { source: 'checkout-api', api: 'POST /v1/payments/{id}/capture', status: 'new' },
        limit: 10,
        offset: 0,
      },
    ],
    [
      'api:"GET /v1/search status:x" limit:2',
      { kind: 'list', filter: { api: 'GET /v1/search status:x' }, limit: 2, offset: 0 },
    ],
    ['list api:“GET /v1/a”', { kind: 'list', filter: { api: 'GET /v1/a' }, limit: 10, offset: 0 }],
    [
      'list api:GET /v1/a?x=1&amp;y=&lt;2&gt;',
      { kind: 'list', filter: { api: 'GET /v1/a?x=1&y=<2>' }, limit: 10, offset: 0 },
    ],
    ['show 12', { kind: 'show', id: 12 }],
    ['show #12', { kind: 'show', id: 12 }],
    ['ack 7', { kind: 'ack', id: 7 }],
    ['acknowledge 7', { kind: 'ack', id: 7 }],
    ['resolve 7', { kind: 'resolve', id: 7, note: undefined }],
    ['resolve 7  acquirer   fixed it ', { kind: 'resolve', id: 7, note: 'acquirer   fixed it' }],
    ['mute card-eu 2h', { kind: 'mute', source: 'card-eu', metric: undefined, durationMs: 7_200_000 }],
    [
      'mute card-eu failed 1h30m',
      { kind: 'mute', source: 'card-eu', metric: 'failed', durationMs: 5_400_000 },
    ],
    ['unmute card-eu', { kind: 'unmute', source: 'card-eu', metric: undefined }],
    ['unmute card-eu denied', { kind: 'unmute', source: 'card-eu', metric: 'denied' }],
    ['help', { kind: 'help' }],
  ])('reads %j', (text, expected) => expect(parseAlertsCommand(text)).toEqual(expected));

  it.each([
    'frobnicate',
    'list severity:urgent',
    'list limit:0',
    'list limit:21',
    'list source',
    'list api:',
    'list api:""',
    'show',
    'show 1 2',
    'show -3',
    'ack 0',
    'resolve',
    'mute card-eu',
    'mute card-eu failed 2h extra',
    'mute card-eu 31d',
    'mute <!channel> 2h',
    'unmute',
  ])('answers %j with the usage', (text) => expect(parseAlertsCommand(text).kind).toBe('usage'));
});

describe('parseDuration', () => {
  it.each([
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1h30m', 5_400_000],
    ['0m', undefined],
    ['2 h', undefined],
    ['soon', undefined],
  ])('%s is %s ms', (word, ms) => expect(parseDuration(word)).toBe(ms));
});
