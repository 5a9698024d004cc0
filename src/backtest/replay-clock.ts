const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** How far back a tick looks for a series' last row (silence.ts caps a silence there too). */
const LAST_ROW_LOOKBACK_MS = 2 * HOUR_MS;

/** When the replay's clock runs hours and ticks. */
export interface ReplayClockOptions {
  /** Only hours starting in [from, to) are evaluated (and ticked); earlier hours still build history. Epoch ms. */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /**
   * Minutes between ticks inside each hour (EVALUATE_EVERY_MINUTES, a divisor of 60); 60 or 0 (the default)
   * replays the hourly runs only. A tick at `at` runs before the first row at `at` or later is taken: the live
   * tick runs `graceMinutes` after `at` and reads the minutes before `at`, which in rows sorted by minute are
   * exactly the rows before that one (a tick between block boundaries must not see the rest of its block).
   */
  readonly tickMinutes?: number | undefined;
  /** Minutes after an hour (or a tick instant) that its evaluation runs. */
  readonly graceMinutes: number;
}

/** What a replay does when its clock says so; the clock knows nothing of series or detection. */
export interface ReplayClockSteps<Row> {
  /** Epoch ms of the row's minute (rows come sorted by it). */
  minuteOf(row: Row): number;
  /** Takes a row of the open hour `hourStart` (every hour before it has closed). */
  add(row: Row, hourStart: number): void;
  /** Runs the tick at `at` of the open hour: only what came before `at` may be judged. */
  tick(hourStart: number, at: number): void;
  /**
   * Closes the hour at `hourStart` (its ticks have run): its hourly run when `evaluate`, history, retraining, and,
   * when `ticking`, what the next hour's ticks judge against (bands).
   */
  close(hourStart: number, evaluate: boolean, ticking: boolean): void;
}

export interface ReplayClockSummary {
  readonly rows: number;
  readonly hoursEvaluated: number;
  /** Tick instants run (each for every series at once). */
  readonly ticks: number;
  /** Set when the rows ended inside an hour that was therefore not evaluated. */
  readonly incompleteLastHour?: number | undefined;
}

/**
 * The replay's clock, shared by the counts and the API-calls replays: reads the rows (sorted by minute) with no
 * look-ahead — an hour closes once the first minute after it arrives (or the rows end after its last minute, or
 * `to` is reached); a tick at `at` of the open hour runs once a row at `at` or later arrives, or the hour
 * closes (then every tick of it runs first), or the rows end past it. The first hour is never ticked (no band
 * for it), nor are hours outside [from, to).
 */
export async function runReplayClock<Row>(
  rows: AsyncIterable<Row>,
  options: ReplayClockOptions,
  steps: ReplayClockSteps<Row>,
): Promise<ReplayClockSummary> {
  const stats = { rows: 0, hoursEvaluated: 0, ticks: 0 };
  const tickMs = tickEvery(options.tickMinutes) * MINUTE_MS;
  const inRange = (hourStart: number) =>
    hourStart >= (options.from ?? Number.NEGATIVE_INFINITY) &&
    hourStart < (options.to ?? Number.POSITIVE_INFINITY);
  let openHour: number | undefined;
  let lastMinute = 0;
  /** The next tick instant of the open hour not yet run. */
  let nextTick = Number.POSITIVE_INFINITY;

  /**
   * Runs the open hour's ticks whose instant the clock has reached (all of them once the hour is over), the
   * closing tick at the hour's end (silence only) included.
   */
  const runTicksUntil = (hourStart: number, clock: number) => {
    while (nextTick <= hourStart + HOUR_MS && (nextTick <= clock || clock >= hourStart + HOUR_MS)) {
      steps.tick(hourStart, nextTick);
      stats.ticks++;
      nextTick += tickMs;
    }
  };

  const closeHour = (hourStart: number) => {
    runTicksUntil(hourStart, hourStart + HOUR_MS);
    const evaluate = inRange(hourStart);
    const nextHour = hourStart + HOUR_MS;
    const ticking = tickMs < HOUR_MS && inRange(nextHour);
    steps.close(hourStart, evaluate, ticking);
    if (evaluate) stats.hoursEvaluated++;
    nextTick = ticking ? nextHour + tickMs : Number.POSITIVE_INFINITY;
  };

  for await (const row of rows) {
    stats.rows++;
    const minute = steps.minuteOf(row);
    lastMinute = minute;
    if (options.to !== undefined && minute >= options.to) break;
    const hour = Math.floor(minute / HOUR_MS) * HOUR_MS;
    if (openHour === undefined) openHour = hour;
    runTicksUntil(openHour, minute);
    while (openHour < hour) {
      closeHour(openHour);
      openHour += HOUR_MS;
    }
    steps.add(row, hour);
  }

  let incompleteLastHour: number | undefined;
  if (openHour !== undefined) {
    const complete =
      options.to !== undefined
        ? options.to >= openHour + HOUR_MS
        : lastMinute >= openHour + HOUR_MS - MINUTE_MS;
    if (complete) closeHour(openHour);
    else {
      runTicksUntil(openHour, lastMinute + MINUTE_MS);
      incompleteLastHour = openHour;
    }
  }
  return { ...stats, incompleteLastHour };
}

/** Minutes between ticks, a divisor of 60; 60, 0 or undefined means hourly runs only (returned as 60). */
function tickEvery(minutes: number | undefined): number {
  if (minutes === undefined || minutes <= 0 || minutes >= 60) return 60;
  if (!Number.isInteger(minutes) || 60 % minutes !== 0) {
    throw new Error('ticks divide the hour: tickMinutes must be a divisor of 60 (5, 10, 15, 20, 30 …)');
  }
  return minutes;
}

/** A block of the open hour that remembers its last minute with a row (silence needs it). */
export interface TimedBlock {
  readonly minutes: number;
  /** Epoch ms of the block's last minute with a row (meaningless while `minutes` is 0). */
  readonly lastMinute: number;
}

/**
 * A series' last minute with a row before a tick at `at`: the last of `blocks` (the hour's blocks before `at`)
 * that had one, else `before` (its last row before the hour); undefined beyond the two-hour look-back.
 */
export function lastReportedMinute(
  before: number | undefined,
  blocks: readonly TimedBlock[],
  at: number,
): number | undefined {
  let last = before;
  for (const block of blocks) if (block.minutes > 0) last = block.lastMinute;
  return last !== undefined && at - last <= LAST_ROW_LOOKBACK_MS ? last : undefined;
}
