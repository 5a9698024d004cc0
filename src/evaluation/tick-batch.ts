import type { AlertFinding } from '../alerts/alert-finding.js';
import type { AlertService } from '../alerts/alert-service.js';
import { alertKey } from '../alerts/alert-state.js';
import { tickRunKey } from '../alerts/run-key.js';
import { BLOCKS_PER_HOUR, blocksBefore } from '../detection/blocks.js';
import { SILENCE_LOOKBACK_MINUTES } from '../detection/silence.js';
import type { BandStore, StoredBand } from '../storage/bands.js';
import { isMuted, type MuteStore } from '../storage/mutes.js';
import { type RaiseDeps, raiseCounted } from './raise-counted.js';

const HOUR_MS = 3_600_000;

/** What a tick judges: a payment series or an API; `id` keys its band, blocks and last minute. */
export interface TickSubject {
  readonly id: number;
  readonly source: string;
  readonly environment: string;
}

/** One subject's minutes at a tick, as the pure tick of its kind reads them (blocks `C`, bands `B`). */
export interface TickWindows<B, C> {
  readonly at: number;
  readonly hourStart: number;
  /** The hour's 10-minute blocks before the tick, the last one partly elapsed when the tick falls inside it. */
  readonly blocks: C[];
  readonly lastReportedMinute: number | undefined;
  /** The previous hour's band and six blocks, when a band of it was stored. */
  readonly previous: { readonly band: B; readonly blocks: C[] } | undefined;
}

/**
 * What one kind of series — payment series (series-tick.ts), APIs (api-tick.ts) — reads and judges at a tick.
 * The batch around it (`judgeTickBatch`: the reads, the missing bands, raising, recovery) is the same for both.
 */
export interface TickKind<S extends TickSubject, B, C, F extends AlertFinding> {
  /** Where the kind's bands are stored (as text), and the text of a band both ways. */
  readonly bands: {
    readonly store: BandStore;
    fromJson(json: string): B;
    toJson(band: B): string;
  };
  /**
   * The blocks of the hour before `until` (all of it when undefined) of the subjects with rows in it, in one
   * query, by id; the blocks past `until` are anything (they are not read on).
   */
  readBlocks(subjects: readonly S[], hourStart: Date, until?: Date): Promise<Map<number, readonly C[]>>;
  /** A block without rows. */
  readonly noRows: C;
  /** Each subject's last minute with a row in [from, until), in one query. */
  lastMinutes(ids: readonly number[], from: Date, until: Date): Promise<Map<number, Date>>;
  /** The band of each of `subjects` (none stored) from its own context for the hour, handed to `found`. */
  computeBands(
    subjects: readonly S[],
    hourStart: Date,
    at: Date,
    found: (id: number, band: B) => void,
  ): Promise<unknown>;
  /** The pure tick of the kind. */
  judge(subject: S, windows: TickWindows<B, C>, band: B): { findings: F[]; normal: readonly string[] };
  /** What a finding of the subject is recorded and alerted under: its series, its API series and api if any. */
  keysOf(subject: S): { seriesId: number; apiSeriesId?: number | undefined; api?: string | undefined };
}

export interface TickBatchDeps extends RaiseDeps {
  readonly alertService: AlertService;
  readonly mutes: MuteStore;
}

/** What one tick batch did: every finding it computed (muted ones too) and the bands it had to compute. */
export interface TickBatchResult<F extends AlertFinding = AlertFinding> {
  readonly series: number;
  readonly findings: F[];
  readonly bandsComputed: number;
}

/** The clock hour a tick judges: the one it falls in, or for the closing tick at :00 the hour it closes. */
export function tickHour(at: Date): Date {
  return new Date(Math.floor((at.getTime() - 1) / HOUR_MS) * HOUR_MS);
}

/**
 * One batch of a tick, of either kind: reads, in one query each, the bands of its subjects for the hour, the
 * hour's 10-minute blocks before `at`, each subject's last reported minute (within the silence look-back), and
 * the previous hour's bands and blocks (for the windows that reach back across the hour's start); judges each
 * subject and raises every finding through the alert service under the tick's run key — recorded once per
 * series (and API), metric and tick, so a retried batch, a second worker or a repeated tick raises nothing
 * twice — and counts the metrics it judged normal towards recovery. A subject without a stored band (a fresh
 * start, or the hourly run not done yet) gets one computed from its own context, as the hourly run would, and
 * stored.
 */
export async function judgeTickBatch<S extends TickSubject, B, C, F extends AlertFinding>(
  deps: TickBatchDeps,
  kind: TickKind<S, B, C, F>,
  subjects: readonly S[],
  at: Date,
  evaluatedAt: Date,
): Promise<TickBatchResult<F>> {
  const hourStart = tickHour(at);
  const previousHour = new Date(hourStart.getTime() - HOUR_MS);
  const ids = subjects.map((s) => s.id);
  const lookBack = new Date(at.getTime() - SILENCE_LOOKBACK_MINUTES * 60_000);
  const [bands, blocks, lastMinutes, mutes, previousBands, previousBlocks] = await Promise.all([
    loadBands(kind, ids, hourStart),
    kind.readBlocks(subjects, hourStart, at),
    kind.lastMinutes(ids, lookBack, at),
    deps.mutes.active(evaluatedAt),
    // The previous hour's band and blocks: windows of up to an hour that reach back across its end.
    loadBands(kind, ids, previousHour),
    kind.readBlocks(subjects, previousHour),
  ]);
  const missing = subjects.filter((s) => !bands.has(s.id));
  if (missing.length > 0) {
    const computed: StoredBand[] = [];
    await kind.computeBands(missing, hourStart, at, (seriesId, band) => {
      bands.set(seriesId, band);
      computed.push({ seriesId, hourStart, json: kind.bands.toJson(band) });
    });
    await kind.bands.store.upsert(computed);
  }
  const runKey = tickRunKey(at);
  const { count } = blocksBefore(hourStart.getTime(), at.getTime());
  const findings: F[] = [];
  const normalKeys: string[] = [];
  for (const subject of subjects) {
    const band = bands.get(subject.id) as B;
    const previousBand = previousBands.get(subject.id);
    const windows: TickWindows<B, C> = {
      at: at.getTime(),
      hourStart: hourStart.getTime(),
      blocks: blocksOf(kind, blocks.get(subject.id), count),
      lastReportedMinute: lastMinutes.get(subject.id)?.getTime(),
      previous:
        previousBand === undefined
          ? undefined
          : { band: previousBand, blocks: blocksOf(kind, previousBlocks.get(subject.id), BLOCKS_PER_HOUR) },
    };
    const { seriesId, apiSeriesId, api } = kind.keysOf(subject);
    const evaluation = kind.judge(subject, windows, band);
    for (const finding of evaluation.findings) {
      findings.push(finding);
      await raiseCounted(deps, {
        ...{ seriesId, apiSeriesId, hourStart, tickAt: at, finding, at: evaluatedAt, runKey },
        muted: isMuted(mutes, subject.source, subject.environment, finding.metric, api),
      });
    }
    for (const metric of evaluation.normal)
      normalKeys.push(alertKey(subject.source, subject.environment, metric, api));
  }
  await deps.alertService.recordNormalTick({ keys: normalKeys, tickAt: at, at: evaluatedAt, runKey });
  return { series: subjects.length, findings, bandsComputed: missing.length };
}

async function loadBands<B>(
  kind: { readonly bands: { readonly store: BandStore; fromJson(json: string): B } },
  ids: readonly number[],
  hourStart: Date,
): Promise<Map<number, B>> {
  const stored = await kind.bands.store.load(ids, hourStart);
  return new Map([...stored].map(([id, json]) => [id, kind.bands.fromJson(json)]));
}

/** The first `count` blocks as the pure tick reads them; a block without rows counts zero. */
function blocksOf<C>(kind: { readonly noRows: C }, read: readonly C[] | undefined, count: number): C[] {
  return Array.from({ length: count }, (_, block) => read?.[block] ?? kind.noRows);
}
