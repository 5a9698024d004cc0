import type { RowDataPacket } from 'mysql2';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { postCounts, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { evaluationJobs, findingOfRow, startTickingApp } from '../helpers/evaluation-jobs.js';
import { steadyMinutes } from '../helpers/steady-traffic.js';

/*
 * The live tick through the real jobs (a worker in this process, real MySQL and Redis), on a clock the test
 * moves: each tick is enqueued as the scheduler enqueues it, at its slot (the instant plus the 2-minute grace).
 */
const MINUTE = 60_000;
const FROM = '2026-11-10T00:00:00Z';
/** The hour the incidents happen in; history is the eight days before it. */
const HOUR = '2026-11-18T10:00:00.000Z';
const at = (hhmm: string) => new Date(`2026-11-18T${hhmm}:00Z`);

let clock = new Date('2026-11-18T10:50:00Z');
let app: TestApp;
let db: mysql.Pool;
let env: Record<string, string>;

/** Minutes of the history and of the hour up to `until` (exclusive), with a step in the failed rate from 10:07. */
const busy = (until: string) =>
  steadyMinutes({
    source: 'busy-eu',
    from: FROM,
    hours: (Date.parse(until) - Date.parse(FROM)) / 3_600_000,
    perMinute: 200,
    failedRate: 0.01,
    spikes: [{ from: '2026-11-18T10:07:00Z', to: '2026-11-18T11:00:00Z', failedRate: 0.06 }],
  });

/** A busy source that posts every minute, until `lastMinute` (exclusive). */
const everyMinute = (source: string, lastMinute: string) =>
  steadyMinutes({
    source,
    from: FROM,
    hours: (Date.parse(lastMinute) - Date.parse(FROM)) / 3_600_000,
    perMinute: 300,
    failedRate: 0.01,
  });

/** A quiet source that posts only the minutes that had transactions: 3 minutes an hour, 4 transactions each. */
function busyMinutesOnly(source: string, until: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let hour = Date.parse(FROM); hour < Date.parse(until); hour += 3_600_000) {
    for (const minute of [7 + ((hour / 3_600_000) % 5), 29, 51 - ((hour / 3_600_000) % 7)]) {
      const when = hour + minute * MINUTE;
      if (when < Date.parse(until))
        items.push({ source, minute: new Date(when).toISOString(), counts: { approved: 4 } });
    }
  }
  return items;
}

beforeAll(async () => {
  ({ app, env, db } = await startTickingApp('ticks', () => clock));
  await postCounts(app, [
    ...busy('2026-11-18T10:50:00Z'),
    // Stops posting at 10:03: its last row is 10:02.
    ...everyMinute('silent-eu', '2026-11-18T10:03:00Z'),
    ...everyMinute('retired-eu', '2026-11-18T10:03:00Z'),
    ...busyMinutesOnly('sparse-eu', '2026-11-18T10:00:00Z'),
  ]);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

/** Each tick enqueued as the scheduler enqueues it, at its slot; each hourly run at :02 after its hour. */
const { runTick, runHour } = evaluationJobs(
  () => app,
  (now) => {
    clock = now;
  },
);

interface AlertRow {
  id: number;
  source: string;
  metric: string;
  status: string;
  occurrences: number;
  recovered_at: Date | null;
}

const alertsOf = async (source: string) => {
  const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM alerts WHERE source = ? ORDER BY id', [
    source,
  ]);
  return rows as AlertRow[];
};

const findingsOf = async (source: string) => {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT f.metric, f.hour_start, f.tick_minute, f.window_end, f.detail, f.alert_id FROM findings f
     JOIN series s ON s.id = f.series_id JOIN sources o ON o.id = s.source_id WHERE o.name = ? ORDER BY f.id`,
    [source],
  );
  return rows.map(findingOfRow);
};

/** The findings a CLI run printed, one JSON line each. */
const printedFindings = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Among the findings a CLI run printed is silent-eu's silence (traffic) with these fields. */
function expectPrintedSilence(stdout: string, fields: Record<string, unknown>): void {
  const silence = expect.objectContaining({ source: 'silent-eu', metric: 'traffic', ...fields });
  expect(printedFindings(stdout)).toEqual(expect.arrayContaining([silence]));
}

describe('the tick between the hourly runs', () => {
  it('stores the band of the coming hour when the hourly run is done', async () => {
    await runHour(new Date('2026-11-18T09:00:00Z'));
    const [rows] = await db.query<RowDataPacket[]>('SELECT series_id, hour_start FROM bands');
    expect(rows.map((r) => (r.hour_start as Date).toISOString())).toEqual([HOUR, HOUR, HOUR, HOUR]);
  });

  it('pages a failed-rate step at :07 by the first tick after enough evidence', async () => {
    for (const tick of ['10:10', '10:20', '10:30', '10:40']) await runTick(at(tick));
    const alerts = await alertsOf('busy-eu');
    const found = await findingsOf('busy-eu');
    // One alert: the first tick's finding opened it, each later tick's merged into it.
    expect(alerts).toEqual([
      expect.objectContaining({ metric: 'failed', status: 'new', occurrences: found.length }),
    ]);
    expect(found.every((f) => f.alertId === alerts[0]?.id)).toBe(true);
    const [first] = found;
    expect(first).toMatchObject({ metric: 'failed', alertId: alerts[0]?.id });
    // window_end of a tick's finding is the tick; it was recorded for that tick of the hour.
    expect([10, 20, 30]).toContain(first?.tickMinute);
    expect(first?.windowEnd).toBe(at(`10:${first?.tickMinute}`).toISOString());
    // It notifies at once: the change is released for delivery when the tick finishes, not at the hour's end.
    const [deliveries] = await db.query<RowDataPacket[]>(
      'SELECT run_key, released_at FROM deliveries WHERE alert_id = ? AND revision = 1',
      [alerts[0]?.id],
    );
    expect(deliveries.length).toBeGreaterThan(0);
    for (const row of deliveries) {
      expect(row.run_key).toBe(`tick_2026-11-18T10${first?.tickMinute}`);
      expect(row.released_at).not.toBeNull();
    }
  });

  it('pages a busy every-minute source that stopped posting within the silence bound', async () => {
    const alerts = await alertsOf('silent-eu');
    expect(alerts).toEqual([expect.objectContaining({ metric: 'traffic', status: 'new' })]);
    const [silence] = await findingsOf('silent-eu');
    // Last row 10:02: silent from 10:03, paged by the first tick with `silenceMinutes` of silence behind it.
    const tick = Math.ceil((3 + DEFAULT_DETECTION.silenceMinutes) / 10) * 10;
    expect(silence?.tickMinute).toBe(tick);
    expect(silence?.detail).toMatchObject({
      metric: 'traffic',
      window_start: '2026-11-18T10:03:00.000Z',
      silent_minutes: tick - 3,
    });
  });

  it('does not page a source that posts only its busy minutes when it pauses', async () => {
    expect(await alertsOf('sparse-eu')).toEqual([]);
  });

  it('raises nothing twice when a tick runs again after a crash, or on two workers at once', async () => {
    const before = await db.query<RowDataPacket[]>(
      'SELECT (SELECT COUNT(*) FROM findings) AS findings, (SELECT COUNT(*) FROM alert_events) AS events, (SELECT COUNT(*) FROM deliveries) AS deliveries',
    );
    // The same tick repeated through the job (a new id: its first run's jobs were lost) …
    await runTick(at('10:40'), 'tick_2026-11-18T1040_again');
    // … and twice at once, as two workers would.
    const twice = await Promise.all([
      cli(['evaluate', '--at', '2026-11-18T10:40:00Z'], env, { now: () => at('10:42') }),
      cli(['evaluate', '--at', '2026-11-18T10:40:00Z'], env, { now: () => at('10:42') }),
    ]);
    expect(twice.map((r) => r.code)).toEqual([0, 0]);
    const after = await db.query<RowDataPacket[]>(
      'SELECT (SELECT COUNT(*) FROM findings) AS findings, (SELECT COUNT(*) FROM alert_events) AS events, (SELECT COUNT(*) FROM deliveries) AS deliveries',
    );
    expect(after[0]).toEqual(before[0]);
    const found = await findingsOf('busy-eu');
    expect((await alertsOf('busy-eu')).map((a) => a.occurrences)).toEqual([found.length]);
  });

  it("evaluate --at prints the tick's findings as JSON lines", async () => {
    const ran = await cli(['evaluate', '--at', '2026-11-18T10:40:00Z'], env, { now: () => at('10:42') });
    expectPrintedSilence(ran.stdout, { window_end: '2026-11-18T10:40:00.000Z' });
    const wrong = await cli(['evaluate', '--at', '2026-11-18T10:25:30Z'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('whole minute');
  });

  it('evaluate --at runs a tick between block boundaries too, merging into the open alert', async () => {
    const before = await alertsOf('silent-eu');
    const ran = await cli(['evaluate', '--at', '2026-11-18T10:45:00Z'], env, { now: () => at('10:47') });
    expect(ran.code).toBe(0);
    expectPrintedSilence(ran.stdout, {
      window_start: '2026-11-18T10:03:00.000Z',
      window_end: '2026-11-18T10:45:00.000Z',
      silent_minutes: 42,
    });
    const after = await alertsOf('silent-eu');
    expect(after.map((a) => a.id)).toEqual(before.map((a) => a.id));
    expect((await findingsOf('silent-eu')).map((f) => f.tickMinute)).toContain(45);
  });

  it('merges the hourly run of the hour into the alert a tick opened, rather than opening a second', async () => {
    clock = new Date('2026-11-18T11:00:00Z');
    await postCounts(app, busy('2026-11-18T11:00:00Z').slice(-10));
    const ticked = (await findingsOf('busy-eu')).length;
    await runHour(new Date(HOUR));
    const alerts = await alertsOf('busy-eu');
    expect(alerts).toEqual([expect.objectContaining({ metric: 'failed', occurrences: ticked + 1 })]);
    const findings = await findingsOf('busy-eu');
    expect(findings.filter((f) => f.tickMinute === 0)).toEqual([
      expect.objectContaining({ metric: 'failed', alertId: alerts[0]?.id }),
    ]);
  });
});

describe("the hour's closing tick", () => {
  it('judges silence only, beside the hourly run: the silence merges into its alert, the step is left to the hour', async () => {
    const stepFindings = (await findingsOf('busy-eu')).length;
    await runTick(new Date('2026-11-18T11:00:00Z'));
    const closing = (await findingsOf('silent-eu')).filter((f) => f.windowEnd === '2026-11-18T11:00:00.000Z');
    // Silent since 10:03; recorded for the hour it closes, at minute 60.
    expect(closing).toEqual([expect.objectContaining({ metric: 'traffic', tickMinute: 60 })]);
    expect(closing[0]?.detail).toMatchObject({
      window_start: '2026-11-18T10:03:00.000Z',
      silent_minutes: 57,
    });
    expect(await alertsOf('silent-eu')).toEqual([expect.objectContaining({ metric: 'traffic' })]);
    expect(closing[0]?.alertId).toBe((await alertsOf('silent-eu'))[0]?.id);
    expect(await findingsOf('busy-eu')).toHaveLength(stepFindings);
  });
});

describe('sources pause and resume', () => {
  it('a paused source pages nobody; resumed, it is judged again', async () => {
    // retired-eu went silent with silent-eu; it was paged at 10:40 like it. Paused now, the next hour's ticks
    // leave it out, while silent-eu, still silent, keeps being judged.
    expect((await cli(['sources', 'pause', 'retired-eu'], env)).code).toBe(0);
    const [[before]] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM findings f JOIN series s ON s.id = f.series_id JOIN sources o ON o.id = s.source_id WHERE o.name = 'retired-eu'",
    );
    await runTick(new Date('2026-11-18T11:10:00Z'));
    const [[paused]] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM findings f JOIN series s ON s.id = f.series_id JOIN sources o ON o.id = s.source_id WHERE o.name = 'retired-eu'",
    );
    expect(paused?.n).toBe(before?.n);
    expect((await findingsOf('silent-eu')).some((f) => f.windowEnd === '2026-11-18T11:10:00.000Z')).toBe(
      true,
    );

    expect((await cli(['sources', 'resume', 'retired-eu'], env)).code).toBe(0);
    await runTick(new Date('2026-11-18T11:20:00Z'));
    expect((await findingsOf('retired-eu')).some((f) => f.windowEnd === '2026-11-18T11:20:00.000Z')).toBe(
      true,
    );
  });
});

describe('recovery at the tick cadence', () => {
  it('marks the alert recovered after a few normal ticks once the failed rate is back to normal', async () => {
    // busy-eu's step ended at 11:00. Windows of up to an hour reaching back across the hour still hold it during
    // 11:xx, but their last minutes are normal: the incident is over, so these ticks count as normal.
    clock = new Date('2026-11-18T12:30:00Z');
    await postCounts(app, busy('2026-11-18T12:30:00Z').slice(-90));
    const ticks = ['11:30', '11:40', '11:50', '12:10', '12:20', '12:30'];
    const recoveredAt: (Date | null)[] = [];
    for (const tick of ticks) {
      await runTick(at(tick));
      recoveredAt.push((await alertsOf('busy-eu'))[0]?.recovered_at ?? null);
    }
    const [alert] = await alertsOf('busy-eu');
    expect(alert).toMatchObject({ status: 'new', occurrences: expect.any(Number) });
    expect(alert?.recovered_at).not.toBeNull();
    // Recovered at the third normal tick after the incident (11:50), not an hour later.
    expect(recoveredAt.slice(0, 2)).toEqual([null, null]);
    expect(recoveredAt[2]).not.toBeNull();
    const [events] = await db.query<RowDataPacket[]>(
      "SELECT detail FROM alert_events WHERE alert_id = ? AND kind = 'recovered'",
      [alert?.id],
    );
    expect(events).toHaveLength(1);
  });
});
