import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALLS_CSV_HEADER, createApiCallsCsvFormatter } from '../../src/api-calls/api-calls-csv.js';
import type { ApiMinute } from '../../src/api-calls/api-minute.js';
import { replayApiCalls } from '../../src/backtest/api-replay.js';
import { apiProfileResolver } from '../../src/config-file.js';
import type { ApiFinding } from '../../src/detection/api-finding.js';
import { cli } from '../helpers/cli.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const DAYS = 8;
/** POST /v1/payments answers 5xx ten times as often on day 8, 10:00–12:00; GET /v1/items "slow, fast" stays normal. */
const INCIDENT = { from: T0 + (7 * 24 + 10) * HOUR, to: T0 + (7 * 24 + 12) * HOUR };
const APIS = ['POST /v1/payments', 'GET /v1/items/{id}, slow'];

/** Deterministic minutes of two APIs (xorshift noise), sorted by minute: what an API-calls CSV holds. */
function minutes(): ApiMinute[] {
  let state = 2_463_534_242;
  const noise = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const rows: ApiMinute[] = [];
  for (let minute = T0; minute < T0 + DAYS * 24 * HOUR; minute += MINUTE) {
    const hour = new Date(minute).getUTCHours();
    for (const api of APIS) {
      const calls = Math.round((hour >= 7 && hour < 22 ? 60 : 10) * (0.8 + 0.4 * noise()));
      const share = api === APIS[0] && minute >= INCIDENT.from && minute < INCIDENT.to ? 0.05 : 0.005;
      const c5xx = Math.min(calls, Math.round(calls * share * 2 * noise()));
      const c2xx = calls - c5xx;
      const slow = noise() < 0.005 * calls ? 1 : 0;
      const latency = [0, Math.round(c2xx * 0.3), 0, 0, 0, 0, 0, 0, 0, 0];
      latency[2] = calls - (latency[1] ?? 0) - slow;
      latency[5] = slow;
      rows.push({
        source: 'checkout-api',
        environment: 'production',
        api,
        minuteMs: minute,
        calls: [c2xx, 0, 0, c5xx, 0],
        silentFailures: 0,
        latency,
      });
    }
  }
  return rows;
}

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-api-backtest-'));
  file = join(dir, 'api-calls.csv');
  const format = createApiCallsCsvFormatter();
  writeFileSync(file, `${API_CALLS_CSV_HEADER}\n${minutes().map(format).join('')}`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('backtest of an API-calls CSV', () => {
  it('tells the file by its header and prints findings lines with api and the API metric, ticks and all', async () => {
    const { code, stdout, stderr } = await cli(['backtest', file], { LOG_LEVEL: 'silent' });
    expect(code).toBe(0);
    expect(stderr).toContain(`${DAYS * 24 * 2 * 60} rows, 2 series`);
    expect(stderr).toMatch(/ \d+ ticks every 10 min/);
    const findings = stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const errors = findings.filter((f) => f.metric === 'errors');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((f) => f.api === 'POST /v1/payments' && f.source === 'checkout-api')).toBe(true);
    // The first is a tick's: its trailing window may reach a block back before the incident.
    const [start, end] = ['window_start', 'window_end'].map((key) => Date.parse(String(errors[0]?.[key])));
    expect(end).toBeGreaterThan(INCIDENT.from);
    expect(end).toBeLessThan(INCIDENT.from + HOUR);
    expect(start).toBeLessThan(INCIDENT.to);
    expect(findings.filter((f) => f.api !== 'POST /v1/payments')).toEqual([]);
  });
});

async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** The findings of a replay of `rows` (hourly only without `tickMinutes`). */
async function findingsOf(rows: readonly ApiMinute[], tickMinutes?: number): Promise<ApiFinding[]> {
  const found: ApiFinding[] = [];
  await replayApiCalls(stream(rows), {
    retrainHours: 24,
    graceMinutes: 2,
    tickMinutes,
    profileOf: apiProfileResolver(undefined),
    onFinding: (f) => found.push(f),
  });
  return found;
}

describe('replayApiCalls', () => {
  const all = minutes();

  it('finds the same in an hour whether or not the file goes on (no look-ahead)', async () => {
    const early = (found: ApiFinding[]) =>
      found.filter((f) => f.windowStart.getTime() < INCIDENT.from + HOUR);
    const short = early(await findingsOf(all.filter((row) => row.minuteMs < INCIDENT.from + HOUR)));
    expect(short.length).toBeGreaterThan(0);
    expect(early(await findingsOf(all))).toEqual(short);
  });

  describe('at the live cadence (a tick every 10 minutes)', () => {
    const isTick = (f: ApiFinding) => f.windowEnd.getTime() % (10 * MINUTE) === 0;
    const errorEnds = (found: ApiFinding[]) =>
      found
        .filter((f) => f.metric === 'errors' && f.windowEnd.getTime() > INCIDENT.from)
        .map((f) => f.windowEnd.getTime());

    it('pages the 5xx incident at a tick, before the hourly run would, with window_end = the tick', async () => {
      const first = Math.min(...errorEnds(await findingsOf(all, 10)));
      expect(first % (10 * MINUTE)).toBe(0);
      expect(first % HOUR).not.toBe(0);
      expect(first).toBeLessThan(Math.min(...errorEnds(await findingsOf(all))));
    });

    it('leaves the hourly findings as they are', async () => {
      const hourly = await findingsOf(all);
      expect((await findingsOf(all, 10)).filter((f) => !isTick(f))).toEqual(hourly);
      expect(await findingsOf(all, 60)).toEqual(hourly);
    });

    it('gives the findings up to a tick whether or not later rows exist', async () => {
      const at = INCIDENT.from + 40 * MINUTE;
      const upTo = (found: ApiFinding[]) => found.filter((f) => f.windowEnd.getTime() <= at);
      const truncated = upTo(
        await findingsOf(
          all.filter((row) => row.minuteMs < at + 2 * MINUTE),
          10,
        ),
      );
      expect(truncated.length).toBeGreaterThan(0);
      expect(truncated).toEqual(upTo(await findingsOf(all, 10)));
    });

    it('pages an API that posts every minute and stops, as a traffic outage with its silent minutes', async () => {
      // GET /v1/items (≈ 3,600 calls an hour by day) posts nothing on day 8 from 15:05 to 15:55.
      const from = T0 + (7 * 24 + 15) * HOUR + 5 * MINUTE;
      const silent = all.filter(
        (r) => !(r.api === APIS[1] && r.minuteMs >= from && r.minuteMs < from + 50 * MINUTE),
      );
      const outage = (await findingsOf(silent, 10)).filter((f) => f.api === APIS[1] && f.silentMinutes);
      // Paged by the first tick (15:20) with `silenceMinutes` (12) of silence behind it.
      expect(outage[0]).toMatchObject({ metric: 'traffic', direction: 'down', silentMinutes: 15 });
      expect(outage[0]?.windowStart.getTime()).toBe(from);
      expect(outage[0]?.windowEnd.getTime()).toBe(from + 15 * MINUTE);
    });
  });
});
