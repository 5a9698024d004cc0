import { describe, expect, it } from 'vitest';
import { asValidApiCallItem, explainApiCallItem } from '../../src/ingest/api-call-item.js';
import { asValidCallRecord, explainCallRecord } from '../../src/ingest/parse-call-logs.js';

const window = { now: new Date('2026-12-04T18:05:30Z'), retentionDays: 35 };
const ODD_VALUES = [undefined, null, '', 'x', -1, 0, 1.5, 3, 1e12, true, {}, [], { '2xx': 1 }, { '25': 1 }];

/** Every item made by replacing one field of `base` with each odd value (and adding an unknown field). */
function variants(base: Record<string, unknown>): Record<string, unknown>[] {
  const fields = [...Object.keys(base), 'extra'];
  return fields.flatMap((field) => ODD_VALUES.map((value) => ({ ...base, [field]: value })));
}

describe('the two checks of an item', () => {
  const item = {
    source: 'checkout-api',
    environment: 'production',
    api: 'POST /v1/payments',
    minute: '2026-12-04T18:04:00Z',
    calls: { '2xx': 3, '5xx': 1, timeout: 1 },
    silent_failures: 1,
    latency_ms: { '25': 2, inf: 2 },
  };

  it('agree on every variant: the fast one passes exactly what the careful one finds nothing wrong with', () => {
    for (const variant of variants(item)) {
      // JSON has no undefined: a field set to undefined is a field left out.
      const posted = JSON.parse(JSON.stringify(variant)) as unknown;
      const problems: { path: string; message: string }[] = [];
      const careful = explainApiCallItem(posted, '', window, problems);
      const fast = asValidApiCallItem(posted);
      expect({ variant, valid: fast !== undefined }).toEqual({ variant, valid: problems.length === 0 });
      if (fast) expect(careful).toEqual(fast);
    }
  });
});

describe('the two checks of a call record', () => {
  const record = {
    at: '2026-12-04T18:04:13.120Z',
    source: 'checkout-api',
    environment: 'production',
    api: 'POST /v1/payments',
    status: 200,
    response_ms: 132,
    payload_valid: true,
  };

  it('agree on every variant: the fast one passes exactly what the careful one finds nothing wrong with', () => {
    for (const variant of [
      ...variants(record),
      ...variants({ ...record, status: undefined, timeout: true }),
    ]) {
      const posted = JSON.parse(JSON.stringify(variant)) as unknown;
      const problems: { path: string; message: string }[] = [];
      explainCallRecord(posted, '', window, problems);
      const valid = asValidCallRecord(posted, window) !== undefined;
      expect({ variant, valid }).toEqual({ variant, valid: problems.length === 0 });
    }
  });
});
