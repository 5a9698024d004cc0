import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** A labelled tick of the time axis: an instant (epoch ms) at a whole local hour of the source's zone. */
export interface TimeTick {
  readonly at: number;
  /** `06:00`, or the day (`Sat 21`) at local midnight. */
  readonly label: string;
  readonly dayStart: boolean;
}

const HOUR_MS = 3_600_000;
const QUARTER_HOUR_MS = 900_000;
const STEP_HOURS = [1, 2, 3, 6, 12, 24] as const;

/** The smallest step (hours) from 1, 2, 3, 6, 12, 24 that puts at most `maxTicks` ticks on the span. */
export function tickStepHours(spanMs: number, maxTicks: number): number {
  return STEP_HOURS.find((step) => spanMs / (step * HOUR_MS) <= maxTicks) ?? 24;
}

/**
 * Ticks at whole local hours that are multiples of the step (00:00, 06:00, 12:00, 18:00 for 48 hours), found
 * by walking quarter hours in UTC so that zones offset by :30 or :45 and DST changes come out right: a local
 * hour that happens twice gets two ticks, one that never happens gets none.
 */
export function timeTicks(from: number, to: number, timeZone: string, maxTicks = 8): TimeTick[] {
  const step = tickStepHours(to - from, maxTicks);
  const ticks: TimeTick[] = [];
  for (let at = Math.ceil(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS; at <= to; at += QUARTER_HOUR_MS) {
    const local = new TZDate(at, timeZone);
    if (local.getMinutes() !== 0 || local.getHours() % step !== 0) continue;
    const dayStart = local.getHours() === 0;
    ticks.push({ at, dayStart, label: dayStart ? format(local, 'EEE d') : format(local, 'HH:mm') });
  }
  return ticks;
}

/** `UTC+1`, `UTC+5:30`, `UTC-3`, `UTC`: the zone's offset at an instant. */
export function utcOffsetLabel(at: number, timeZone: string): string {
  const minutes = -new TZDate(at, timeZone).getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '-';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  return `UTC${sign}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}

/** `Europe/Berlin (UTC+1)`, or `Europe/Berlin (UTC+2, then UTC+1)` when the range crosses a DST change. */
export function zoneLabel(from: number, to: number, timeZone: string): string {
  const first = utcOffsetLabel(from, timeZone);
  const last = utcOffsetLabel(to, timeZone);
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  return `${timeZone} (${first === last ? last : `${first}, then ${last}`})`;
}

/** `18:40` when `at` falls on the local day of `reference`, else `Thu 18:40`. */
export function localTimeLabel(at: number, reference: number, timeZone: string): string {
  const local = new TZDate(at, timeZone);
  const sameDay = format(local, 'yyyy-MM-dd') === format(new TZDate(reference, timeZone), 'yyyy-MM-dd');
  return format(local, sameDay ? 'HH:mm' : 'EEE HH:mm');
}
