import type { RowDataPacket } from 'mysql2';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_CLASSES } from '../../src/api-calls/api-minute.js';
import { LATENCY_BUCKETS } from '../../src/api-calls/latency.js';
import { replayApiCalls } from '../../src/backtest/api-replay.js';
import { apiProfileResolver } from '../../src/config-file.js';
import { apiFindingToJson } from '../../src/detection/api-finding-json.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { type ApiShape, drawApiCounts, fitted } from '../api-detection/helpers/api-history.js';
import { random } from '../detection/helpers/history.js';
import type { TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { evaluationJobs, findingOfRow, startTickingApp } from '../helpers/evaluation-jobs.js';

/*
 * The live tick judging APIs through the real jobs (a worker in this process, real MySQL and Redis), on a clock
 * the test moves, as test/evaluation/tick-pipeline.test.ts does for payment series.
 */
const MINUTE = 60_000;
const FROM = Date.parse('2026-11-10T00:00:00Z');
/** The hour the incidents happen in; history is the eight days before it. */
const HOUR = '2026-11-18T10:00:00.000Z';
const at = (hhmm: string) => new Date(`2026-11-18T${hhmm}:00Z`);
const SOURCE = 'shop-api';
const ERRORS_API = 'POST /v1/orders';
const SILENT_API = 'GET /v1/orders';
const NORMAL_API = 'POST /v1/refunds';

/** Every API here posts every minute: 3,000 calls an hour around the clock, 0.2 % 5xx, p99 under 500 ms. */
const STEADY: ApiShape = { calls: () => 3_000 };
/** From 10:07 on, 3 % of POST /v1/orders's calls fail with a 5xx. */
const FAILING: ApiShape = { calls: () => 3_000, share5xx: 0.03 };
const SPIKE_FROM = at('10:07').getTime();
/** GET /v1/orders stops posting at 10:03: its last row is 10:02. */
const SILENT_FROM = at('10:03').getTime();

interface Item {
  readonly source: string;
  readonly api: string;
  readonly minute: string;
  readonly calls: Record<string, number>;
  readonly silent_failures: number;
  readonly latency_ms: Record<string, number>;
}

/** Each API's minutes over [from, until), one seeded stream per API, so any range draws the same minutes. */
function minutes(from: number, until: number): Item[] {
  const items: Item[] = [];
  for (const [index, api] of [ERRORS_API, SILENT_API, NORMAL_API].entries()) {
    const next = random(index + 1);
    for (let minute = FROM; minute < until; minute += MINUTE) {
      const shape = api === ERRORS_API && minute >= SPIKE_FROM ? FAILING : STEADY;
      const counts = drawApiCounts(shape, new Date(minute).getUTCHours(), next, 1 / 60);
      if (minute < from || (api === SILENT_API && minute >= SILENT_FROM)) continue;
      const latency = fitted(
        counts.latency,
        counts.calls.slice(0, 4).reduce((a, b) => a + b, 0),
      );
      items.push({
        source: SOURCE,
        api,
        minute: new Date(minute).toISOString(),
        calls: Object.fromEntries(CALL_CLASSES.map((c, i) => [c, counts.calls[i] ?? 0])),
        silent_failures: counts.silentFailures,
        latency_ms: Object.fromEntries(LATENCY_BUCKETS.map((b, i) => [b, latency[i] ?? 0])),
      });
    }
  }
  return items;
}

let clock = at('10:50');
let app: TestApp;
let db: mysql.Pool;
let env: Record<string, string>;
/** Each tick enqueued as the scheduler enqueues it, at its slot; the hourly run at :02 after its hour. */
const { runTick, runHour } = evaluationJobs(
  () => app,
  (now) => {
    clock = now;
  },
);

async function postApiCalls(items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 5000) {
    const response = await app.request('/v1/api-calls', {
      method: 'POST',
      json: { items: items.slice(i, i + 5000) },
    });
    if (response.status !== 202) throw new Error(`posting: ${response.status} ${await response.text()}`);
  }
}

beforeAll(async () => {
  ({ app, env, db } = await startTickingApp('api_ticks', () => clock));
  await postApiCalls(minutes(FROM, at('10:50').getTime()));
  // Every hour before the incident's, as the scheduler's hourly runs would have judged them.
  const hours = await cli(['evaluate', '--from', new Date(FROM).toISOString(), '--to', HOUR], env);
  if (hours.code !== 0) throw new Error(`evaluate: ${hours.stderr}`);
}, 240_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

interface ApiAlertRow {
  api: string;
  id: number;
  metric: string;
  title: string;
  occurrences: number;
}

const alertsOf = async (api: string) => {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT id, api, metric, title, occurrences FROM alerts WHERE source = ? AND api = ? ORDER BY id',
    [SOURCE, api],
  );
  return rows as ApiAlertRow[];
};

const findingsOf = async (api: string) => {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT f.metric, f.tick_minute, f.window_end, f.detail, f.alert_id FROM findings f
     JOIN api_series a ON a.id = f.api_series_id WHERE a.api = ? AND f.hour_start = ? ORDER BY f.id`,
    [api, new Date(HOUR)],
  );
  return rows.map(findingOfRow);
};

const totals = async () => {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT (SELECT COUNT(*) FROM findings) AS findings, (SELECT COUNT(*) FROM alert_events) AS events, (SELECT COUNT(*) FROM deliveries) AS deliveries',
  );
  return rows[0];
};

/** A tick's (or the replay's) API findings as JSON lines, sorted. */
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .sort();

describe('the tick judging APIs between the hourly runs', () => {
  it("stores the band of each API's coming hour when the hourly run is done", async () => {
    const [rows] = await db.query<RowDataPacket[]>('SELECT hour_start FROM api_bands WHERE hour_start = ?', [
      new Date(HOUR),
    ]);
    expect(rows).toHaveLength(3);
  });

  it('pages a 5xx step at :07 by the first tick after enough evidence, with its api on the alert', async () => {
    for (const tick of ['10:10', '10:20', '10:30', '10:40']) await runTick(at(tick));
    const alerts = await alertsOf(ERRORS_API);
    const found = await findingsOf(ERRORS_API);
    // One alert: the first tick's finding opened it, each later tick's merged into it.
    expect(alerts).toEqual([
      expect.objectContaining({ api: ERRORS_API, metric: 'errors', occurrences: found.length }),
    ]);
    const [first] = found;
    expect(first).toMatchObject({ metric: 'errors', alertId: alerts[0]?.id });
    expect([10, 20, 30]).toContain(first?.tickMinute);
    expect(first?.windowEnd).toBe(at(`10:${first?.tickMinute}`).toISOString());
    expect(first?.detail).toMatchObject({ api: ERRORS_API, metric: 'errors' });
    expect(await alertsOf(NORMAL_API)).toEqual([]);
  });

  it('pages an every-minute API that stopped posting within the silence bound', async () => {
    const alerts = await alertsOf(SILENT_API);
    // Silent from 10:03: paged by the first tick with `silenceMinutes` of silence behind it.
    const tick = Math.ceil((3 + DEFAULT_DETECTION.silenceMinutes) / 10) * 10;
    // One alert, its title from the latest tick's finding (later ticks merge into it as the silence goes on).
    expect(alerts).toEqual([
      expect.objectContaining({
        metric: 'traffic',
        title: expect.stringMatching(/^no reports for \d+ minutes; ≈ [\d,]+ calls expected$/),
      }),
    ]);
    const [silence] = await findingsOf(SILENT_API);
    expect(silence?.tickMinute).toBe(tick);
    expect(silence?.detail).toMatchObject({
      api: SILENT_API,
      metric: 'traffic',
      window_start: '2026-11-18T10:03:00.000Z',
      silent_minutes: tick - 3,
    });
  });

  it('raises nothing twice when a tick runs again after a crash, or on two workers at once', async () => {
    const before = await totals();
    await runTick(at('10:40'), 'tick_2026-11-18T1040_again');
    const twice = await Promise.all([
      cli(['evaluate', '--at', '2026-11-18T10:40:00Z'], env, { now: () => at('10:42') }),
      cli(['evaluate', '--at', '2026-11-18T10:40:00Z'], env, { now: () => at('10:42') }),
    ]);
    expect(twice.map((r) => r.code)).toEqual([0, 0]);
    expect(await totals()).toEqual(before);
  });

  it("finds at each tick exactly what the backtest's API replay finds at the same instant", async () => {
    const ticks = ['10:10', '10:20', '10:30', '10:40'];
    const live: string[] = [];
    for (const tick of ticks) {
      const ran = await cli(['evaluate', '--at', at(tick).toISOString()], env, {
        now: () => new Date(at(tick).getTime() + 2 * MINUTE),
      });
      expect(ran.code).toBe(0);
      live.push(...lines(ran.stdout));
    }
    const instants = new Set(ticks.map((tick) => at(tick).getTime()));
    const replayed: string[] = [];
    const rows = minutes(FROM, at('10:50').getTime())
      .map((item) => ({
        source: item.source,
        environment: 'production',
        api: item.api,
        minuteMs: Date.parse(item.minute),
        calls: CALL_CLASSES.map((c) => item.calls[c] ?? 0),
        silentFailures: item.silent_failures,
        latency: LATENCY_BUCKETS.map((b) => item.latency_ms[b] ?? 0),
      }))
      .sort((a, b) => a.minuteMs - b.minuteMs);
    await replayApiCalls(
      (async function* () {
        yield* rows;
      })(),
      {
        ...{ tickMinutes: 10, graceMinutes: 2, retrainHours: 24 },
        profileOf: apiProfileResolver(undefined),
        onFinding: (finding) => {
          // The replay's findings at those ticks (the hourly runs' have window_end :02 after their hour).
          if (instants.has(finding.windowEnd.getTime())) replayed.push(apiFindingToJson(finding));
        },
      },
    );
    expect(live.map((line) => JSON.parse(line).metric)).toEqual(
      expect.arrayContaining(['errors', 'traffic']),
    );
    expect(live.sort()).toEqual(replayed.sort());
  }, 120_000);

  it('computes the band of an API the hourly run stored none for, as the hourly run would, and stores it', async () => {
    const bandOf = async () => {
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT b.band FROM api_bands b JOIN api_series a ON a.id = b.api_series_id
         WHERE a.api = ? AND b.hour_start = ?`,
        [NORMAL_API, new Date(HOUR)],
      );
      return rows.map((row) => String(row.band));
    };
    const stored = await bandOf();
    await db.query('DELETE FROM api_bands WHERE hour_start = ?', [new Date(HOUR)]);
    const before = await totals();
    const ran = await cli(['evaluate', '--at', '2026-11-18T10:40:00Z'], env, { now: () => at('10:42') });
    expect(ran.code).toBe(0);
    expect(await bandOf()).toEqual(stored);
    expect(await totals()).toEqual(before);
  });

  it('merges the hourly run of the hour into the alert a tick opened, rather than opening a second', async () => {
    clock = at('11:00');
    await postApiCalls(minutes(at('10:50').getTime(), at('11:00').getTime()));
    const ticked = (await findingsOf(ERRORS_API)).length;
    await runHour(new Date(HOUR));
    const alerts = await alertsOf(ERRORS_API);
    expect(alerts).toEqual([expect.objectContaining({ metric: 'errors', occurrences: ticked + 1 })]);
    const hourly = (await findingsOf(ERRORS_API)).filter((f) => f.tickMinute === 0);
    expect(hourly).toEqual([expect.objectContaining({ metric: 'errors', alertId: alerts[0]?.id })]);
  });

  it("leaves a paused source's APIs out of the ticks until it is resumed", async () => {
    // GET /v1/orders is still silent: the ticks of 11:xx would page it again.
    const at11 = (minute: string) => new Date(`2026-11-18T11:${minute}:00Z`);
    expect((await cli(['sources', 'pause', SOURCE], env)).code).toBe(0);
    await runTick(at11('10'));
    const silentAt = async (tick: Date) => {
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM findings f JOIN api_series a ON a.id = f.api_series_id
         WHERE a.api = ? AND f.window_end = ?`,
        [SILENT_API, tick],
      );
      return Number(rows[0]?.n);
    };
    expect(await silentAt(at11('10'))).toBe(0);
    expect((await cli(['sources', 'resume', SOURCE], env)).code).toBe(0);
    await runTick(at11('20'));
    expect(await silentAt(at11('20'))).toBe(1);
  });
});
