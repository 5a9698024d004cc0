import { TZDate } from '@date-fns/tz';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_HOURS = 168;

/**
 * One zone per set of daylight-saving switch dates that payment traffic commonly follows: the EU's (the UK switches
 * at the same instants), the US and Canada's (New York stands for every zone there: the others switch 1–3 night
 * hours later, which no model notices), and the southern hemisphere's Australia, New Zealand and Chile. A zone
 * without daylight saving needs no inferring: a constant offset from UTC changes no comparison the models make
 * (the same hour of past weeks, nearby hours of the day).
 */
export const DAYLIGHT_SAVING_ZONES: readonly string[] = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Pacific/Auckland',
  'America/Santiago',
];

/** The one-sided z a zone's evidence must reach (p ≈ 0.001 per zone and cut-off, were the hours independent). */
const EVIDENCE_Z = 3;
/** Fewest compared hours for a verdict (half a day: the EU's switch is 23 hours before the next daily cut-off). */
const MIN_HOURS = 12;
/** Weeks before an hour it is compared with. */
const REFERENCE_WEEKS = 3;

/**
 * The time zone a series is judged in for the training period that starts at `cutoff`: the configured one, or,
 * when none was configured, the daylight-saving zone its traffic in the `trainingDays` before the cut-off shows
 * (else the UTC default). Trees are trained at the same cut-off on the same hours, so a period's trees and
 * positions agree. `trafficOf` reads an hour's traffic (a payment series' transactions, an API's calls).
 */
export function clockOf<H extends TrafficHour>(
  profile: { readonly timeZone: string; readonly clockFromTraffic?: boolean },
  hours: readonly H[],
  trafficOf: (hour: H) => number,
  cutoff: number,
  trainingDays: number,
): string {
  if (profile.clockFromTraffic !== true) return profile.timeZone;
  return inferDaylightSavingZone(hours, trafficOf, cutoff, trainingDays) ?? profile.timeZone;
}

/** An hour of a series' history, as the inference reads it (its traffic through `trafficOf`). */
export interface TrafficHour {
  readonly hourStart: number;
  /** A silence or a reporting gap, not traffic (HistoryHour.thin). */
  readonly thin?: boolean;
  /** Metrics that alerted in the hour: an hour whose traffic alerted (an outage, a surge) is no reference. */
  readonly alerting?: ReadonlySet<string>;
}

/**
 * The daylight-saving zone a series' traffic follows, read from its hours in [cutoff − days, cutoff), or
 * undefined when none shows (no switch in reach, or no zone explains the traffic better than its fixed clock).
 *
 * Payment traffic follows local time: when a zone switches to summer time, a source's whole daily cycle moves an
 * hour earlier in UTC. A model that compares an hour with the same hour of past weeks in a fixed clock then
 * expects a morning ramp an hour late for weeks, and pages the ramp as a surge (and the evening as a drop). For
 * each zone with a switch in reach, every hour after the switch is compared with the same local hour of the weeks
 * before it (167 or 169 hours back per week) and with the same fixed-clock hour (168 back), on log traffic
 * (`evidenceFor`); the zone is taken when it fits better by a z of at least 3. Flat hours tell nothing either way;
 * the hours of a ramp tell at once. Pure and deterministic: the live run and the backtest read the same hours and
 * so infer the same zone.
 */
export function inferDaylightSavingZone<H extends TrafficHour>(
  hours: readonly H[],
  trafficOf: (hour: H) => number,
  cutoff: number,
  days: number,
): string | undefined {
  const from = Math.ceil((cutoff - days * DAY_MS) / HOUR_MS) * HOUR_MS;
  const candidates = zonesSwitchingWithin(from, cutoff);
  if (candidates.length === 0) return undefined;
  // Log traffic by hour index from `from`; NaN where the hour is missing or is no reference.
  const logTraffic = new Float64Array(Math.max(0, (cutoff - from) / HOUR_MS)).fill(Number.NaN);
  for (const hour of hours) {
    const index = (hour.hourStart - from) / HOUR_MS;
    if (index < 0 || index >= logTraffic.length || !Number.isInteger(index)) continue;
    if (hour.thin !== true && hour.alerting?.has('traffic') !== true)
      logTraffic[index] = Math.log1p(trafficOf(hour));
  }
  const fixed = new Int8Array(logTraffic.length);
  const shown = candidates
    .map((zone) => ({ zone, offsets: offsetsOf(zone, from, cutoff) }))
    .map((c) => ({ ...c, z: evidenceFor(c.offsets, fixed, logTraffic) }))
    .filter((c) => c.z >= EVIDENCE_Z)
    .sort((a, b) => b.z - a.z);
  // Two zones can both beat the fixed clock (a UK source's hours after the US switch, against weeks before both
  // switches): the one whose clock fits where the two disagree wins.
  let best = shown[0];
  for (const other of shown.slice(1)) {
    if (best && evidenceFor(other.offsets, best.offsets, logTraffic) > 0) best = other;
  }
  return best?.zone;
}

/**
 * How much better the hours follow one clock (`offsets`: a zone's UTC offset in hours, by hour index) than another
 * (`against`; all zeros: the fixed clock), as a z. Each hour `now` where the two clocks disagree on the same
 * local hour of the (up to `REFERENCE_WEEKS`) weeks before it is set against both references (`local`: by
 * `offsets`, `fixed`: by `against`; an hour apart), each the median over those weeks, all as log traffic. With
 * D = local − fixed and u = now − (fixed + local)/2, u ≈ +D/2 when the source keeps the first clock and −D/2 when
 * it keeps the other. The slope of u on D and its t-statistic weigh each hour by how much its two references
 * differ, so a ramp tells at once and a flat hour tells nothing; each day gets its own intercept, as a day's level
 * (a busy Monday, growth) moves all its hours alike.
 */
function evidenceFor(offsets: Int8Array, against: Int8Array, logTraffic: Float64Array): number {
  const d: number[] = [];
  const u: number[] = [];
  const dayOf: number[] = [];
  const fixed: number[] = [];
  const local: number[] = [];
  for (let index = WEEK_HOURS; index < logTraffic.length; index++) {
    const now = logTraffic[index] as number;
    if (Number.isNaN(now)) continue;
    fixed.length = 0;
    local.length = 0;
    for (let weeks = 1; weeks <= REFERENCE_WEEKS && index - weeks * WEEK_HOURS >= 0; weeks++) {
      const before = index - weeks * WEEK_HOURS;
      const shift = (offsets[index] as number) - (offsets[before] as number);
      const fixedShift = (against[index] as number) - (against[before] as number);
      if (shift === fixedShift) continue;
      const atLocal = logTraffic[before + shift];
      const atFixed = logTraffic[before + fixedShift];
      if (atLocal === undefined || atFixed === undefined || Number.isNaN(atLocal) || Number.isNaN(atFixed))
        continue;
      fixed.push(atFixed);
      local.push(atLocal);
    }
    if (fixed.length === 0) continue;
    // Medians: one week's outage or burst in a reference must not decide.
    const atFixed = middle(fixed);
    const atLocal = middle(local);
    d.push(atLocal - atFixed);
    u.push(now - (atLocal + atFixed) / 2);
    dayOf.push(Math.floor(index / 24));
  }
  return slopeZ(d, u, dayOf);
}

/** The t-statistic of the slope of u on d with an intercept per day (`dayOf`, ascending); 0 when it cannot tell. */
function slopeZ(d: readonly number[], u: readonly number[], dayOf: readonly number[]): number {
  if (d.length < MIN_HOURS) return 0;
  const centredD = new Float64Array(d.length);
  const centredU = new Float64Array(d.length);
  let days = 0;
  for (let start = 0; start < d.length; ) {
    let end = start;
    let sumD = 0;
    let sumU = 0;
    while (end < d.length && dayOf[end] === dayOf[start]) {
      sumD += d[end] as number;
      sumU += u[end] as number;
      end++;
    }
    for (let i = start; i < end; i++) {
      centredD[i] = (d[i] as number) - sumD / (end - start);
      centredU[i] = (u[i] as number) - sumU / (end - start);
    }
    days++;
    start = end;
  }
  let sumDD = 0;
  let sumDU = 0;
  for (let i = 0; i < d.length; i++) {
    sumDD += (centredD[i] as number) ** 2;
    sumDU += (centredD[i] as number) * (centredU[i] as number);
  }
  const freedom = d.length - days - 1;
  if (sumDD === 0 || freedom < 1) return 0;
  const slope = sumDU / sumDD;
  let residual = 0;
  for (let i = 0; i < d.length; i++)
    residual += ((centredU[i] as number) - slope * (centredD[i] as number)) ** 2;
  residual /= freedom;
  if (residual === 0) return slope > 0 ? Number.POSITIVE_INFINITY : 0;
  return slope / Math.sqrt(residual / sumDD);
}

/** The median of one to three values (REFERENCE_WEEKS), without sorting a copy. */
function middle(values: readonly number[]): number {
  const [a = 0, b = a, c] = values;
  if (c === undefined) return (a + b) / 2;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

const switching = new Map<string, readonly string[]>();

/** The zones whose offset changes in [from, until), memoised (every series of a run asks for the same span). */
function zonesSwitchingWithin(from: number, until: number): readonly string[] {
  const key = `${from}:${until}`;
  let zones = switching.get(key);
  if (!zones) {
    if (switching.size >= MAX_MEMO) switching.clear();
    zones = DAYLIGHT_SAVING_ZONES.filter((zone) => {
      const offsets = offsetsOf(zone, from, until);
      return offsets.some((offset) => offset !== offsets[0]);
    });
    switching.set(key, zones);
  }
  return zones;
}

/** Spans whose offsets are kept: the cut-offs a run or a replay is at. */
const MAX_MEMO = 64;
const offsetTables = new Map<string, Int8Array>();

/** A zone's UTC offset in whole hours for each hour of [from, until) (half-hour zones are no candidates). */
function offsetsOf(zone: string, from: number, until: number): Int8Array {
  const key = `${zone}@${from}:${until}`;
  let offsets = offsetTables.get(key);
  if (!offsets) {
    if (offsetTables.size >= MAX_MEMO * DAYLIGHT_SAVING_ZONES.length) offsetTables.clear();
    offsets = new Int8Array(Math.max(0, (until - from) / HOUR_MS));
    for (let i = 0; i < offsets.length; i++)
      offsets[i] = -new TZDate(from + i * HOUR_MS, zone).getTimezoneOffset() / 60;
    offsetTables.set(key, offsets);
  }
  return offsets;
}
