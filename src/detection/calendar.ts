import { TZDate } from '@date-fns/tz';
import type { CalendarPosition } from './types.js';

/**
 * Where an instant falls in a source's calendar: local hour, weekday, and whether the local date is a
 * holiday (`holidays` holds local dates as `YYYY-MM-DD`). Time-zone rules come from the runtime's IANA data.
 */
export function calendarPosition(
  instant: number,
  timeZone: string,
  holidays: ReadonlySet<string> = new Set(),
): CalendarPosition {
  const local = new TZDate(instant, timeZone);
  const date = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
  return { localHour: local.getHours(), weekday: local.getDay(), holiday: holidays.has(date) };
}

/** Calendar positions of one source's time zone and holidays, memoised per hour (many series share hours). */
export interface Calendar {
  readonly timeZone: string;
  position(instant: number): CalendarPosition;
}

const MAX_MEMO = 50_000;

export function createCalendar(timeZone: string, holidays: readonly string[] = []): Calendar {
  const holidaySet = new Set(holidays);
  const memo = new Map<number, CalendarPosition>();
  return {
    timeZone,
    position(instant) {
      let position = memo.get(instant);
      if (!position) {
        if (memo.size >= MAX_MEMO) memo.clear();
        position = calendarPosition(instant, timeZone, holidaySet);
        memo.set(instant, position);
      }
      return position;
    },
  };
}

/**
 * A history and its calendar in the clock `timeZone` (a series' clock changes at a training cut-off): as they are
 * when it is the calendar's zone already, else every hour placed anew in `calendarFor(timeZone)`.
 */
export function reclocked<H extends CalendarPosition & { readonly hourStart: number }>(
  history: H[],
  calendar: Calendar,
  timeZone: string,
  calendarFor: (timeZone: string) => Calendar,
): { history: H[]; calendar: Calendar } {
  if (timeZone === calendar.timeZone) return { history, calendar };
  const next = calendarFor(timeZone);
  return { history: history.map((hour) => ({ ...hour, ...next.position(hour.hourStart) })), calendar: next };
}

/** Saturday and Sunday. */
export function isWeekend(weekday: number): boolean {
  return weekday === 0 || weekday === 6;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
