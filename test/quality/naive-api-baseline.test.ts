import { describe, expect, it } from 'vitest';
import { apiFindingToJson, parseApiLabelsCsv } from '../../src/quality/api-records.js';
import {
  type ApiHour,
  createHourlyApiCalls,
  type HourlyApiSeries,
} from '../../src/quality/hourly-api-calls.js';
import { naiveApiBaselineFindings } from '../../src/quality/naive-api-baseline.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const HOUR = 3_600_000;
const hour = (calls: number, changes: Partial<ApiHour> = {}): ApiHour => ({
  calls,
  errors: 0,
  silentFailures: 0,
  latency: [calls, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ...changes,
});
/** 24 hours of history, then the judged hour (index 24); undefined hours have no rows. */
function series(history: (i: number) => ApiHour | undefined, judged: ApiHour | undefined): HourlyApiSeries {
  const hours = new Map<number, ApiHour>();
  for (let i = 0; i < 24; i++) {
    const h = history(i);
    if (h) hours.set(T0 + i * HOUR, h);
  }
  if (judged) hours.set(T0 + 24 * HOUR, judged);
  return { source: 'checkout-api', environment: 'production', api: 'POST /v1/payments', hours };
}
const metricsRaised = (s: HourlyApiSeries) =>
  naiveApiBaselineFindings([s], T0 + 24 * HOUR)
    .filter((f) => f.windowStartMs === T0 + 24 * HOUR)
    .map((f) => f.metric);

describe('the naive API baseline', () => {
  describe('on errors: above 2× the past share or above 5 %', () => {
    const onePercent = () => hour(1000, { errors: 10 });
    it.each([
      ['2.5 % against 1 %', onePercent, hour(1000, { errors: 25 }), ['errors']],
      ['1.5 % against 1 %', onePercent, hour(1000, { errors: 15 }), []],
      ['6 % against 4 %', () => hour(1000, { errors: 40 }), hour(1000, { errors: 60 }), ['errors']],
      ['5 % against 4 %', () => hour(1000, { errors: 40 }), hour(1000, { errors: 50 }), []],
      // It ignores how few the calls are: that is what it gets wrong.
      ['1 of 3 calls', onePercent, hour(3, { errors: 1 }), ['errors']],
    ])('%s', (_, history, judged, raised) => {
      expect(metricsRaised(series(history, judged))).toEqual(raised);
    });

    it('needs 24 hours of history first', () => {
      const s = series((i) => (i < 23 ? hour(1000, { errors: 10 }) : undefined), hour(1000, { errors: 900 }));
      expect(metricsRaised(s)).toEqual([]);
    });
  });

  it('judges silent failures by the same rule', () => {
    const s = series(() => hour(1000, { silentFailures: 2 }), hour(1000, { silentFailures: 5 }));
    expect(metricsRaised(s)).toEqual(['silent_failures']);
  });

  describe('on latency: the hour mean at z > 3 over all past calls, or above their p99', () => {
    // Past calls: 90 % in (25, 50] ms (37.5 ms each), 10 % in (50, 100] (75 ms): mean 41.25 ms,
    // standard deviation 11.25 ms (z = 3 at 75 ms); p99 interpolated: 50 + 50·0.09/0.1 = 95 ms.
    const past = () => hour(100, { latency: [0, 90, 10, 0, 0, 0, 0, 0, 0, 0] });
    it.each([
      ['every call at 75 ms: z just under 3, under the p99', [0, 0, 100, 0, 0, 0, 0, 0, 0, 0], []],
      ['every call at 175 ms', [0, 0, 0, 100, 0, 0, 0, 0, 0, 0], ['latency']],
      ['half at 37.5 ms, half at 75 ms', [0, 50, 50, 0, 0, 0, 0, 0, 0, 0], []],
      ['the slowest tenth over 10 s (15 s each)', [0, 90, 0, 0, 0, 0, 0, 0, 0, 10], ['latency']],
    ])('%s', (_, latency, raised) => {
      expect(metricsRaised(series(past, hour(100, { latency })))).toEqual(raised);
    });
  });

  describe('on traffic: |z| ≥ 3 over all past hours', () => {
    // 90 and 110 calls in turn: mean 100, standard deviation √(2400/23) ≈ 10.2
    const past = (i: number) => hour(i % 2 ? 110 : 90);
    it.each([
      ['no rows at all (0 calls)', undefined, ['traffic']],
      ['75 calls', hour(75), []],
      ['131 calls', hour(131), ['traffic']],
    ])('%s', (_, judged, raised) => {
      expect(metricsRaised(series(past, judged))).toEqual(raised);
    });
  });

  it('writes findings as findings-file lines with the api', () => {
    const [finding] = naiveApiBaselineFindings(
      [series(() => hour(1000, { errors: 10 }), hour(1000, { errors: 60 }))],
      T0 + 24 * HOUR,
    );
    expect(JSON.parse(apiFindingToJson(finding as NonNullable<typeof finding>))).toEqual({
      source: 'checkout-api',
      environment: 'production',
      api: 'POST /v1/payments',
      metric: 'errors',
      window_start: '2026-12-02T00:00:00.000Z',
      window_end: '2026-12-02T01:00:00.000Z',
      model: 'naive',
      observed_rate: 0.06,
      expected_rate: 0.01,
    });
  });
});

describe('parseApiLabelsCsv', () => {
  it('reads the API simulation labels, a quoted api included', () => {
    const text = [
      'source,environment,api,metric,kind,start,end,magnitude',
      'checkout-api,production,"GET /v1/reports?fields=id,total",latency,latency_surge,2026-01-10T08:14:00Z,2026-01-10T08:30:00Z,2.97',
    ].join('\n');
    expect(parseApiLabelsCsv(text)).toEqual([
      {
        source: 'checkout-api',
        environment: 'production',
        api: 'GET /v1/reports?fields=id,total',
        metric: 'latency',
        kind: 'latency_surge',
        startMs: Date.parse('2026-01-10T08:14:00Z'),
        endMs: Date.parse('2026-01-10T08:30:00Z'),
        magnitude: 2.97,
      },
    ]);
  });

  it('refuses a metric API calls do not have', () => {
    expect(() =>
      parseApiLabelsCsv(
        'source,environment,api,metric,kind,start,end,magnitude\na,b,c,failed,k,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,1',
      ),
    ).toThrow('labels line 2: metric must be one of errors, silent_failures, latency, traffic, not "failed"');
  });
});

describe('createHourlyApiCalls', () => {
  it('sums minutes into hours per API, errors being 5xx + timeouts', () => {
    const hourly = createHourlyApiCalls();
    const minute = (minuteMs: number, api = 'POST /v1/payments') => ({
      source: 'checkout-api',
      environment: 'production',
      api,
      minuteMs,
      calls: [10, 1, 2, 3, 4],
      silentFailures: 1,
      latency: [16, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    hourly.add(minute(T0));
    hourly.add(minute(T0 + 59 * 60_000));
    hourly.add(minute(T0 + HOUR));
    hourly.add(minute(T0, 'GET /v1/balance'));
    const [balance, payments] = hourly.series();
    expect(balance?.api).toBe('GET /v1/balance');
    expect(payments?.hours.get(T0)).toEqual({
      calls: 40,
      errors: 14,
      silentFailures: 2,
      latency: [32, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(hourly.lastHourMs).toBe(T0 + HOUR);
  });
});
